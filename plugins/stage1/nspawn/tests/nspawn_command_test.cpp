// The systemd-nspawn command line of a pod (nspawn_command.hpp) and the hosts file the stage1
// gives apps (stage1_prepare.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "nspawn_command.hpp"
#include "pod_supervisor.hpp"
#include "stage1_prepare.hpp"

using rkt::nspawn::NspawnOptions;

namespace {

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

NspawnOptions options() {
  NspawnOptions o;
  o.nspawn = "/usr/bin/systemd-nspawn";
  o.uuid = "01234567-89ab-cdef-0123-456789abcdef";
  o.stage1Rootfs = "/var/lib/rkt/pods/run/x/stage1/rootfs";
  o.hostname = "rkt-01234567-89ab-cdef-0123-456789abcdef";
  o.supervisor = "/rkt/supervisor";
  return o;
}

}  // namespace

class NspawnCommandTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NspawnCommandTest);
  CPPUNIT_TEST(machineNaming);
  CPPUNIT_TEST(defaultPod);
  CPPUNIT_TEST(optionsMapToFlags);
  CPPUNIT_TEST(bindsAreEscaped);
  CPPUNIT_TEST(hostnameInHosts);
  CPPUNIT_TEST(appStatus);
  CPPUNIT_TEST_SUITE_END();

 public:
  void machineNaming() {
    CPPUNIT_ASSERT_EQUAL(std::string("rkt-a-b"), rkt::nspawn::machineName("a-b"));
    CPPUNIT_ASSERT_EQUAL(std::string("0123456789abcdef0123456789abcdef"),
                         rkt::nspawn::machineId("01234567-89ab-cdef-0123-456789abcdef"));
  }

  void defaultPod() {
    const std::vector<std::string> argv = rkt::nspawn::nspawnArgv(options());
    CPPUNIT_ASSERT_EQUAL(std::string("/usr/bin/systemd-nspawn"), argv.front());
    CPPUNIT_ASSERT(has(argv, "--register=no"));
    CPPUNIT_ASSERT(has(argv, "--link-journal=no"));
    CPPUNIT_ASSERT(!has(argv, "--keep-unit"));
    CPPUNIT_ASSERT(has(argv, "--quiet"));
    CPPUNIT_ASSERT(has(argv, "--uuid=0123456789abcdef0123456789abcdef"));
    CPPUNIT_ASSERT(has(argv, "--machine=rkt-01234567-89ab-cdef-0123-456789abcdef"));
    CPPUNIT_ASSERT(has(argv, "--directory=/var/lib/rkt/pods/run/x/stage1/rootfs"));
    CPPUNIT_ASSERT(has(argv, "--private-network"));
    CPPUNIT_ASSERT(has(argv, "--kill-signal=SIGTERM"));
    CPPUNIT_ASSERT(has(argv, "--console=pipe"));
    CPPUNIT_ASSERT(!has(argv, "--private-users-ownership=off"));
    // The supervisor is the command, after "--".
    CPPUNIT_ASSERT_EQUAL(std::string("/rkt/supervisor"), argv.back());
    CPPUNIT_ASSERT_EQUAL(std::string("--"), argv[argv.size() - 2]);
    const std::vector<std::string> env = rkt::nspawn::nspawnEnvironment(options());
    CPPUNIT_ASSERT(has(env, "SYSTEMD_NSPAWN_CONTAINER_SERVICE=rkt"));
    CPPUNIT_ASSERT(has(env, "SYSTEMD_NSPAWN_LOCK=0"));
    // The apps' seccomp filters are the supervisor's, not nspawn's.
    CPPUNIT_ASSERT(has(env, "SYSTEMD_SECCOMP=0"));
    CPPUNIT_ASSERT(!has(env, "SYSTEMD_NSPAWN_SHARE_NS_IPC=true"));
    CPPUNIT_ASSERT(!has(env, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1"));
  }

  void optionsMapToFlags() {
    NspawnOptions o = options();
    o.registerMachine = true;
    o.keepUnit = true;
    o.hostRunsSystemd = true;
    o.debug = true;
    o.net = "host";
    o.shareIpc = true;
    o.allCapabilities = true;
    o.capabilities = {"CAP_NET_ADMIN"};  // all wins
    o.console = "interactive";
    const std::vector<std::string> argv = rkt::nspawn::nspawnArgv(o);
    CPPUNIT_ASSERT(has(argv, "--register=yes"));
    CPPUNIT_ASSERT(has(argv, "--keep-unit"));
    CPPUNIT_ASSERT(has(argv, "--link-journal=try-guest"));
    CPPUNIT_ASSERT(!has(argv, "--quiet"));
    CPPUNIT_ASSERT(!has(argv, "--private-network"));
    CPPUNIT_ASSERT(has(argv, "--capability=all"));
    CPPUNIT_ASSERT(has(argv, "--console=interactive"));
    CPPUNIT_ASSERT(has(rkt::nspawn::nspawnEnvironment(o), "SYSTEMD_NSPAWN_SHARE_NS_IPC=true"));
    o.unifiedCgroups = true;
    CPPUNIT_ASSERT(has(rkt::nspawn::nspawnEnvironment(o), "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1"));
    // Without it, the capabilities the apps keep join nspawn's bounding set.
    o.allCapabilities = false;
    o.capabilities = {"CAP_NET_ADMIN", "CAP_SYS_TIME"};
    CPPUNIT_ASSERT(has(rkt::nspawn::nspawnArgv(o), "--capability=CAP_NET_ADMIN,CAP_SYS_TIME"));
    // --private-users: the range as stage0 chose it; the trees are shifted already.
    o.privateUsers = "1179648:65536";
    CPPUNIT_ASSERT(has(rkt::nspawn::nspawnArgv(o), "--private-users=1179648:65536"));
    CPPUNIT_ASSERT(has(rkt::nspawn::nspawnArgv(o), "--private-users-ownership=off"));
  }

  void bindsAreEscaped() {
    CPPUNIT_ASSERT_EQUAL(
        std::string("--bind=/a\\:b:/opt/stage2/x/rootfs/c\\\\d:rbind"),
        rkt::nspawn::bindArgument({"/a:b", "/opt/stage2/x/rootfs/c\\d", false, true}));
    CPPUNIT_ASSERT_EQUAL(std::string("--bind-ro=/etc/hosts:/etc/rkt-hosts:norbind"),
                         rkt::nspawn::bindArgument({"/etc/hosts", "/etc/rkt-hosts", true, false}));
  }

  void hostnameInHosts() {
    CPPUNIT_ASSERT_EQUAL(std::string("# x\n127.0.0.1 localhost h\n::1 y\n"),
                         rkt::nspawn::addHostnameToHosts("# x\n127.0.0.1 localhost\n::1 y\n", "h"));
    CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1 a\n127.0.0.1\th\n"),
                         rkt::nspawn::addHostnameToHosts("10.0.0.1 a\n", "h"));
  }

  void appStatus() {
    CPPUNIT_ASSERT_EQUAL(5, rkt::nspawn::appStatusOf(5 << 8));
    CPPUNIT_ASSERT_EQUAL(9, rkt::nspawn::appStatusOf(9));  // killed by SIGKILL
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NspawnCommandTest);
