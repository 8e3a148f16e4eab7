// dhcp in-process against dnsmasq: a "server" namespace (srv0 10.77.0.1/24, dnsmasq) and a
// "container" namespace (eth0) joined by a veth pair, all created by the test inside a scratch
// network namespace; dnsmasq is stopped by its PID. Leases are observed where dnsmasq keeps
// them (its lease file) and in the keeper's state file.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>

#include "lease.hpp"
#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "support/cni/side_by_side.hpp"

namespace pc = rkt::protocol::cni;
using rkt::test::cni::exists;
using rkt::test::cni::readFile;
using rkt::test::cni::sh;

namespace {

// Waits for `done` (events of another process: dnsmasq writing its lease file, the keeper
// renewing); the bound only keeps a broken run from hanging.
bool eventually(const std::function<bool()>& done, int seconds = 60) {
  for (int i = 0; i < seconds * 50; ++i) {
    if (done()) {
      return true;
    }
    ::usleep(20 * 1000);
  }
  return done();
}

// dnsmasq prints a client id as colon-separated hex bytes.
std::string hexId(const std::string& id) {
  std::string out = "00";
  char b[4];
  for (unsigned char c : id) {
    std::snprintf(b, sizeof b, ":%02x", c);
    out += b;
  }
  return out;
}

}  // namespace

class DhcpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DhcpTest);
  CPPUNIT_TEST(leaseAcquiredRenewedAndReleased);
  CPPUNIT_TEST(delReleasesAfterTheKeeperWasKilled);
  CPPUNIT_TEST(gcReleasesWhatIsNotValid);
  CPPUNIT_TEST(noServerFailsAndLeavesNothing);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    net_ = std::make_unique<rkt::test::cni::ScratchNetworks>("rkt-dhcp-test");
    net_->keepDir = std::getenv("RKT_DHCP_TEST_KEEP") != nullptr;
    net_->fresh();
    srv_ = net_->extra();
    const std::string out =
        sh("ip link add eth0 type veth peer name srv0 && ip link set eth0 netns " +
           net_->netnsPath(net_->ctr()) + " && ip link set srv0 netns " + net_->netnsPath(srv_) +
           " && nsenter --net=" + net_->netnsPath(srv_) +
           " sh -c 'ip addr add 10.77.0.1/24 dev srv0 && ip link set srv0 up "
           "&& ip link set lo up'");
    CPPUNIT_ASSERT_MESSAGE(out, out.empty());
  }

  void tearDown() override {
    stopDnsmasq();
    if (!net_) {
      return;
    }
    // Keepers this test started and left (a failed assertion): by the PIDs they recorded.
    for (const char* f : {"c1+eth0", "c2+eth0", "c3+eth0", "c4+eth0"}) {
      const std::string path = net_->dir() + "/state/ipam-dhcp/dnet/" + std::string(f) + ".json";
      if (exists(path)) {
        try {
          const auto s = rkt::protocol::decode<rkt::dhcp::KeeperState>(readFile(path));
          if (rkt::dhcp::processStartTime(s.pid) == s.startTime) {
            ::kill(static_cast<pid_t>(s.pid), SIGKILL);
          }
        } catch (const std::exception&) {
        }
      }
    }
    net_.reset();
  }

  void startDnsmasq() {
    const std::string out = sh(
        "nsenter --net=" + net_->netnsPath(srv_) +
        " /usr/sbin/dnsmasq --conf-file=/dev/null --port=0 --interface=srv0 --bind-interfaces "
        "--dhcp-range=10.77.0.50,10.77.0.60,255.255.255.0,2m --dhcp-option=option:router,10.77.0.1 "
        "--no-ping --dhcp-authoritative --log-dhcp --user=root "
        "--group=root --dhcp-leasefile=" +
        net_->dir() + "/leases --pid-file=" + net_->dir() +
        "/dnsmasq.pid --log-facility=" + net_->dir() + "/dnsmasq.log");
    CPPUNIT_ASSERT_MESSAGE(out,
                           eventually([&] { return exists(net_->dir() + "/dnsmasq.pid"); }, 10));
    dnsmasqPid_ = std::stoi(readFile(net_->dir() + "/dnsmasq.pid"));
  }
  void stopDnsmasq() {
    if (dnsmasqPid_ > 0) {
      ::kill(dnsmasqPid_, SIGTERM);
      dnsmasqPid_ = 0;
    }
  }

  pc::Request request(const std::string& id, const std::string& extra = "") const {
    pc::Request r;
    r.cniVersion = "1.0.0";
    r.name = "dnet";
    r.containerId = id;
    r.ifName = "eth0";
    r.netns = net_->netnsPath(net_->ctr());
    r.config.text =
        R"({"cniVersion":"1.0.0","name":"dnet","type":"macvlan","ipam":{"type":"dhcp")" + extra +
        "}}";
    return r;
  }
  std::string statePath(const std::string& id) const {
    return net_->dir() + "/state/ipam-dhcp/dnet/" + id + "+eth0.json";
  }
  rkt::dhcp::KeeperState state(const std::string& id) const {
    return rkt::protocol::decode<rkt::dhcp::KeeperState>(readFile(statePath(id)));
  }
  bool leased(const std::string& address) const {
    return readFile(net_->dir() + "/leases").find(" " + address + " ") != std::string::npos;
  }

  void leaseAcquiredRenewedAndReleased() {
    startDnsmasq();
    // A lock inherited across exec, as rkt's pod lock is during ADD: the keeper must not keep
    // it (the pod would read as running as long as the keeper lives).
    const std::string lockPath = net_->dir() + "/pod.lock";
    const int podLock = ::open(lockPath.c_str(), O_RDWR | O_CREAT, 0600);
    CPPUNIT_ASSERT(podLock >= 0 && ::flock(podLock, LOCK_EX) == 0);
    const auto add = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_ADD, request("c1"), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(add.message(), add.ok);
    ::close(podLock);
    const int again = ::open(lockPath.c_str(), O_RDWR | O_CLOEXEC);
    CPPUNIT_ASSERT(::flock(again, LOCK_EX | LOCK_NB) == 0);
    ::close(again);
    const std::regex expected(
        R"(\{"cniVersion":"1.0.0","ips":\[\{"address":"(10\.77\.0\.[56][0-9])/24",)"
        R"("gateway":"10.77.0.1"\}\],"routes":\[\{"dst":"0.0.0.0/0","gw":"10.77.0.1"\}\],)"
        R"("dns":\{\}\})");
    std::smatch m;
    CPPUNIT_ASSERT_MESSAGE(add.result, std::regex_match(add.result, m, expected));
    const std::string address = m[1];
    // dnsmasq's lease: the container interface's MAC and the reference's client id.
    std::smatch ether;
    const std::string link =
        sh("nsenter --net=" + net_->netnsPath(net_->ctr()) + " ip -o link show eth0");
    CPPUNIT_ASSERT_MESSAGE(link, std::regex_search(link, ether, std::regex("link/ether (\\S+)")));
    const std::string mac = ether[1];
    CPPUNIT_ASSERT(eventually([&] { return leased(address); }));
    const std::string leases = readFile(net_->dir() + "/leases");
    CPPUNIT_ASSERT_MESSAGE(leases, leases.find(mac + " " + address) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(leases, leases.find(hexId("c1/dnet/eth0")) != std::string::npos);
    // The keeper outlives the call, in the container's namespace.
    const auto s = state("c1");
    CPPUNIT_ASSERT_EQUAL(std::string("bound"), s.phase);
    CPPUNIT_ASSERT(rkt::dhcp::processStartTime(s.pid) == s.startTime);
    CPPUNIT_ASSERT_EQUAL(sh("readlink /proc/" + std::to_string(s.pid) + "/ns/net"),
                         sh("readlink " + net_->netnsPath(net_->ctr())));
    // Detached: another session than the caller's (the one its starter made), so a signal to
    // rkt's process group never reaches it.
    CPPUNIT_ASSERT(::getsid(static_cast<pid_t>(s.pid)) != ::getsid(0));
    CPPUNIT_ASSERT(sh("ps -o ppid= -p " + std::to_string(s.pid)).find(std::to_string(::getpid())) ==
                   std::string::npos);

    // The net plugin would now put the address on the interface; then the lease is renewed at
    // T1, unicast to the server: after a minute, dnsmasq's shortest lease being two.
    sh("nsenter --net=" + net_->netnsPath(net_->ctr()) + " ip addr add " + address +
       "/24 dev eth0");
    CPPUNIT_ASSERT_MESSAGE(readFile(statePath("c1")),
                           eventually([&] { return state("c1").renewals >= 1; }, 120));
    CPPUNIT_ASSERT_EQUAL(address, state("c1").address);
    const std::string log = readFile(net_->dir() + "/dnsmasq.log");
    const std::regex acks("DHCPACK\\(srv0\\) " + address);
    CPPUNIT_ASSERT_MESSAGE(log, std::distance(std::sregex_iterator(log.begin(), log.end(), acks),
                                              std::sregex_iterator()) >= 2);

    // ADD again: the lease held; CHECK.
    const auto twice = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_ADD, request("c1"), net_->ctr());
    CPPUNIT_ASSERT_EQUAL(add.result, twice.result);
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_CHECK, request("c1"), net_->ctr()).ok);

    const auto del = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_DEL, request("c1"), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(del.message(), del.ok);
    CPPUNIT_ASSERT(rkt::dhcp::processStartTime(s.pid) != s.startTime);
    CPPUNIT_ASSERT(!exists(statePath("c1")));
    CPPUNIT_ASSERT_MESSAGE(readFile(net_->dir() + "/leases"),
                           eventually([&] { return !leased(address); }));
    CPPUNIT_ASSERT(readFile(net_->dir() + "/dnsmasq.log").find("DHCPRELEASE(srv0) " + address) !=
                   std::string::npos);
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_DEL, request("c1"), net_->ctr()).ok);
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_DEL, request("c1"), -1).ok);
    const auto check = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_CHECK, request("c1"), net_->ctr());
    CPPUNIT_ASSERT_EQUAL(std::string("dhcp: no lease for `c1/dnet/eth0`"), check.message());
  }

  void delReleasesAfterTheKeeperWasKilled() {
    startDnsmasq();
    const auto add = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_ADD, request("c2"), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(add.message(), add.ok);
    const auto s = state("c2");
    CPPUNIT_ASSERT(eventually([&] { return leased(s.address); }));
    ::kill(static_cast<pid_t>(s.pid), SIGKILL);
    CPPUNIT_ASSERT(eventually([&] { return rkt::dhcp::processStartTime(s.pid) != s.startTime; }));
    const auto check = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_CHECK, request("c2"), net_->ctr());
    CPPUNIT_ASSERT_EQUAL(std::string("dhcp: the lease of `c2/dnet/eth0` is not kept (its keeper "
                                     "exited)"),
                         check.message());
    // The interface has no address: the plugin's RELEASE goes out broadcast.
    const auto del = net_->runner().run(RKT_KIND_IPAM, RKT_CNI_DEL, request("c2"), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(del.message(), del.ok);
    CPPUNIT_ASSERT(!exists(statePath("c2")));
    CPPUNIT_ASSERT_MESSAGE(readFile(net_->dir() + "/leases"),
                           eventually([&] { return !leased(s.address); }));
  }

  void gcReleasesWhatIsNotValid() {
    startDnsmasq();
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_ADD, request("c3"), net_->ctr()).ok);
    const auto s = state("c3");
    CPPUNIT_ASSERT(eventually([&] { return leased(s.address); }));
    pc::Request gc = request("c3");
    gc.validAttachments = {{"c3", "eth0"}};
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_GC, gc, -1).ok);
    CPPUNIT_ASSERT(exists(statePath("c3")));
    gc.validAttachments.clear();
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_GC, gc, -1).ok);
    CPPUNIT_ASSERT(!exists(statePath("c3")));
    CPPUNIT_ASSERT(rkt::dhcp::processStartTime(s.pid) != s.startTime);
    CPPUNIT_ASSERT(eventually([&] { return !leased(s.address); }));
  }

  void noServerFailsAndLeavesNothing() {
    const auto add =
        net_->runner().run(RKT_KIND_IPAM, RKT_CNI_ADD,
                           request("c4", R"(,"timeout":"1s","resendMax":"1s")"), net_->ctr());
    CPPUNIT_ASSERT(!add.ok);
    CPPUNIT_ASSERT_EQUAL(999, add.error.code);
    CPPUNIT_ASSERT_EQUAL(std::string("error calling DHCP.Allocate: no more tries"), add.message());
    // The keeper is gone with its files; DEL has nothing to do.
    CPPUNIT_ASSERT(!exists(statePath("c4")));
    CPPUNIT_ASSERT(!exists(net_->dir() + "/state/ipam-dhcp/dnet/c4+eth0.log"));
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_IPAM, RKT_CNI_DEL, request("c4"), net_->ctr()).ok);
  }

 private:
  std::unique_ptr<rkt::test::cni::ScratchNetworks> net_;
  int srv_ = -1;  ///< the server's namespace (owned by net_)
  int dnsmasqPid_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(DhcpTest);
