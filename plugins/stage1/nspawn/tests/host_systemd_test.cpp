// The registration decision (host_systemd.hpp) on fake hosts: a directory standing for `/`
// with systemd's run directory, a system bus socket that listens or not, machined running or
// D-Bus-activatable. The build machines have no machined, so this is where `--register=yes` is
// checked; that machined then accepts the pod is not verified anywhere (README.md).
#include <cppunit/extensions/HelperMacros.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "host_systemd.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "rkt/support/posix/unique_fd.hpp"

using rkt::nspawn::decideRegistration;
using rkt::nspawn::HostSystemd;
using rkt::nspawn::probeHostSystemd;
using rkt::nspawn::Registration;

namespace {

void mkdirs(const std::string& path) {
  for (std::size_t slash = 1; slash != std::string::npos; slash = path.find('/', slash + 1)) {
    ::mkdir(path.substr(0, slash).c_str(), 0755);
  }
  ::mkdir(path.c_str(), 0755);
}

// A fake host root; the bus socket is bound (and listens when asked to).
class FakeHost {
 public:
  FakeHost() {
    std::string tmpl = "/tmp/rkt-host-systemd-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    root_ = tmpl;
  }
  ~FakeHost() { (void)rkt::posix::removeTree(root_); }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const std::string& root() const { return root_; }
  void systemd() const { mkdirs(root_ + "/run/systemd/system"); }
  void machinedRunning() const { mkdirs(root_ + "/run/systemd/machines"); }
  void machinedActivatable() const {
    mkdirs(root_ + "/usr/share/dbus-1/system-services");
    std::ofstream(root_ + "/usr/share/dbus-1/system-services/org.freedesktop.machine1.service")
        << "[D-BUS Service]\nName=org.freedesktop.machine1\n";
  }
  void bus(bool listening) {
    mkdirs(root_ + "/run/dbus");
    bus_ = rkt::posix::UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = root_ + "/run/dbus/system_bus_socket";
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    CPPUNIT_ASSERT(::bind(bus_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    if (listening) {
      CPPUNIT_ASSERT(::listen(bus_.get(), 4) == 0);
    }
  }

 private:
  std::string root_;
  rkt::posix::UniqueFd bus_;
};

std::string flags(const Registration& r) {
  return std::string(r.registerMachine ? "register" : "no-register") +
         (r.keepUnit ? " keep-unit" : "") + (r.linkJournal ? " link-journal" : "");
}

}  // namespace

class HostSystemdTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HostSystemdTest);
  CPPUNIT_TEST(noSystemd);
  CPPUNIT_TEST(systemdWithoutBus);
  CPPUNIT_TEST(busNotListening);
  CPPUNIT_TEST(busWithoutMachined);
  CPPUNIT_TEST(machinedRunning);
  CPPUNIT_TEST(machinedActivatable);
  CPPUNIT_TEST(machinedWithoutSystemd);
  CPPUNIT_TEST(fromUnit);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { ::unsetenv("INVOCATION_ID"); }
  void tearDown() override { ::unsetenv("INVOCATION_ID"); }

  // These build machines: no systemd, no bus.
  void noSystemd() {
    FakeHost h;
    CPPUNIT_ASSERT_EQUAL(std::string("no-register keep-unit"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  void systemdWithoutBus() {
    FakeHost h;
    h.systemd();
    h.machinedRunning();
    CPPUNIT_ASSERT_EQUAL(std::string("no-register keep-unit link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  // A socket file nobody accepts on (a stale socket of a dead dbus-daemon).
  void busNotListening() {
    FakeHost h;
    h.systemd();
    h.machinedRunning();
    h.bus(false);
    CPPUNIT_ASSERT_EQUAL(std::string("no-register keep-unit link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  void busWithoutMachined() {
    FakeHost h;
    h.systemd();
    h.bus(true);
    CPPUNIT_ASSERT_EQUAL(std::string("no-register keep-unit link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  // Registered: machined gives the pod its scope, nspawn is not kept in ours.
  void machinedRunning() {
    FakeHost h;
    h.systemd();
    h.bus(true);
    h.machinedRunning();
    CPPUNIT_ASSERT_EQUAL(std::string("register link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  void machinedActivatable() {
    FakeHost h;
    h.systemd();
    h.bus(true);
    h.machinedActivatable();
    CPPUNIT_ASSERT_EQUAL(std::string("register link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  // A bus and machined's files without systemd as init: nothing to register with.
  void machinedWithoutSystemd() {
    FakeHost h;
    h.bus(true);
    h.machinedRunning();
    CPPUNIT_ASSERT_EQUAL(std::string("no-register keep-unit"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }

  // In a unit (INVOCATION_ID): the pod stays in the unit, registered or not.
  void fromUnit() {
    FakeHost h;
    h.systemd();
    h.bus(true);
    h.machinedRunning();
    ::setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef", 1);
    CPPUNIT_ASSERT_EQUAL(std::string("register keep-unit link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
    ::setenv("INVOCATION_ID", "", 1);
    CPPUNIT_ASSERT_EQUAL(std::string("register link-journal"),
                         flags(decideRegistration(probeHostSystemd(h.root()))));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostSystemdTest);
