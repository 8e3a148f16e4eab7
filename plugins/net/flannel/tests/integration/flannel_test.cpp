// flannel in-process on real network namespaces through the core's CniRunner, delegating to
// ptp or bridge + host-local in-process, against the reference binary fed the same delegate
// configuration the reference flannel would write (Debian ships no flannel binary: upstream
// moved it to flannel-io/cni-plugin; what flannel itself adds is its delegate configuration,
// checked byte for byte in the unit test).
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "support/cni/side_by_side.hpp"

namespace pc = rkt::protocol::cni;
using rkt::test::cni::exists;
using rkt::test::cni::readFile;
using rkt::test::cni::sh;

class FlannelTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlannelTest);
  CPPUNIT_TEST(addDelegatesAndDelUsesTheSavedConf);
  CPPUNIT_TEST(failuresAreTheReferences);
  CPPUNIT_TEST(sameAsTheReferenceDelegate);
  CPPUNIT_TEST(bridgeByDefaultAsTheReference);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    net_ = std::make_unique<rkt::test::cni::ScratchNetworks>("rkt-flannel-test");
    net_->fresh();
    std::ofstream(net_->dir() + "/subnet.env") << "FLANNEL_NETWORK=10.98.0.0/16\n"
                                                  "FLANNEL_SUBNET=10.98.17.1/24\n"
                                                  "FLANNEL_MTU=1410\nFLANNEL_IPMASQ=true\n";
  }
  void tearDown() override { net_.reset(); }

  std::string inContainer(const std::string& cmd) const {
    return sh("nsenter --net=" + netnsPath() + " " + cmd);
  }
  std::string netnsPath() const {
    return "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(net_->ctr());
  }
  std::string config(const std::string& extra = "") const {
    return R"({"cniVersion":"1.0.0","name":"flnet","type":"flannel","subnetFile":")" + net_->dir() +
           R"(/subnet.env","dataDir":")" + net_->dir() + R"(/flannel","delegate":{"type":"ptp"},)" +
           R"("ipam":{"dataDir":")" + net_->dir() + R"(/ipam"})" + extra + "}";
  }
  pc::Request request(const std::string& id, const std::string& conf) const {
    pc::Request r;
    r.cniVersion = "1.0.0";
    r.name = "flnet";
    r.containerId = id;
    r.ifName = "eth0";
    r.netns = netnsPath();
    r.config.text = conf;
    return r;
  }
  // What the reference flannel writes for config(): its delegate configuration.
  std::string expectedDelegate() const {
    return R"({"cniVersion":"1.0.0","ipMasq":false,"ipam":{"dataDir":")" + net_->dir() +
           R"(/ipam","ranges":[[{"subnet":"10.98.17.0/24"}]],"routes":[{"dst":"10.98.0.0/16"}],)"
           R"("type":"host-local"},"mtu":1410,"name":"flnet","type":"ptp"})";
  }

  void addDelegatesAndDelUsesTheSavedConf() {
    const auto add =
        net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("ctr1", config()), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(add.message(), add.ok);
    const std::regex expected(
        R"(\{"cniVersion":"1.0.0","interfaces":\[\{"name":"veth[0-9a-f]{8}","mac":"[0-9a-f:]{17}"\},)"
        R"(\{"name":"eth0","mac":"[0-9a-f:]{17}","sandbox":"/proc/[0-9]+/fd/[0-9]+"\}\],)"
        R"("ips":\[\{"interface":1,"address":"10.98.17.2/24","gateway":"10.98.17.1"\}\],)"
        R"("routes":\[\{"dst":"10.98.0.0/16"\}\],"dns":\{\}\})");
    CPPUNIT_ASSERT_MESSAGE(add.result, std::regex_match(add.result, expected));
    CPPUNIT_ASSERT_EQUAL(expectedDelegate(), readFile(net_->dir() + "/flannel/ctr1"));
    const std::string routes = inContainer("ip route show");
    CPPUNIT_ASSERT_MESSAGE(
        routes, routes.find("10.98.0.0/16 via 10.98.17.1 dev eth0") != std::string::npos);
    CPPUNIT_ASSERT(inContainer("ip link show eth0").find("mtu 1410") != std::string::npos);
    CPPUNIT_ASSERT(exists(net_->dir() + "/ipam/flnet/10.98.17.2"));

    // DEL runs the delegate from the saved file even when flannel's conf no longer says ptp
    // and subnet.env is gone (flanneld restarted with another lease).
    ::unlink((net_->dir() + "/subnet.env").c_str());
    const auto del = net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL,
                                        request("ctr1", R"({"cniVersion":"1.0.0","name":"flnet",)"
                                                        R"("type":"flannel","dataDir":")" +
                                                            net_->dir() + R"(/flannel"})"),
                                        net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(del.message(), del.ok);
    CPPUNIT_ASSERT(inContainer("ip link show eth0").find("does not exist") != std::string::npos);
    CPPUNIT_ASSERT(sh("ip link show").find("veth") == std::string::npos);
    CPPUNIT_ASSERT(!exists(net_->dir() + "/ipam/flnet/10.98.17.2"));
    CPPUNIT_ASSERT(!exists(net_->dir() + "/flannel/ctr1"));
    // Again, and without a netns: nothing saved, nothing to do.
    CPPUNIT_ASSERT(
        net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, request("ctr1", config()), net_->ctr()).ok);
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, request("ctr1", config()), -1).ok);
  }

  void failuresAreTheReferences() {
    ::unlink((net_->dir() + "/subnet.env").c_str());
    auto add =
        net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("ctr2", config()), net_->ctr());
    CPPUNIT_ASSERT(!add.ok);
    CPPUNIT_ASSERT_EQUAL(999, add.error.code);
    CPPUNIT_ASSERT_EQUAL("open " + net_->dir() + "/subnet.env: no such file or directory",
                         add.message());
    CPPUNIT_ASSERT(!exists(net_->dir() + "/flannel/ctr2"));
    // A failing delegate: the error is prefixed, nothing is left but the saved conf (for DEL).
    std::ofstream(net_->dir() + "/subnet.env") << "FLANNEL_NETWORK=10.98.0.0/16\n"
                                                  "FLANNEL_SUBNET=10.98.17.1/24\n"
                                                  "FLANNEL_MTU=1410\nFLANNEL_IPMASQ=true\n";
    inContainer("ip link add eth0 type veth peer name eth0p");
    add = net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("ctr2", config()), net_->ctr());
    CPPUNIT_ASSERT(!add.ok);
    CPPUNIT_ASSERT_EQUAL(
        std::string("failed to delegate add: container veth name provided (eth0) already exists"),
        add.message());
    CPPUNIT_ASSERT(!exists(net_->dir() + "/ipam/flnet/10.98.17.2"));
    CPPUNIT_ASSERT(
        net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, request("ctr2", config()), net_->ctr()).ok);
    CPPUNIT_ASSERT(!exists(net_->dir() + "/flannel/ctr2"));
    CPPUNIT_ASSERT(inContainer("ip link show eth0p").find("eth0p") != std::string::npos);
    const auto bad =
        net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("../x", config()), net_->ctr());
    CPPUNIT_ASSERT_EQUAL(std::string("invalid container id \"../x\""), bad.message());
  }

  // The reference ptp fed the bytes the reference flannel hands it, on the same netns after our
  // DEL: the same addresses and routes in the container.
  void sameAsTheReferenceDelegate() {
    if (!exists("/usr/lib/cni/ptp")) {
      std::fprintf(stderr,
                   "\nSKIP sameAsTheReferenceDelegate: /usr/lib/cni/ptp missing "
                   "(Debian package containernetworking-plugins)\n");
      return;
    }
    const auto ours =
        net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("c", config()), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(ours.message(), ours.ok);
    const std::string oursRoutes = inContainer("ip -d route show");
    const std::string oursAddr = inContainer("ip -br addr show eth0");
    CPPUNIT_ASSERT(
        net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, request("c", config()), net_->ctr()).ok);
    const std::string env =
        "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_CONTAINERID=c "
        "CNI_NETNS=" +
        netnsPath() + " CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni ";
    const std::string theirs =
        sh("echo '" + expectedDelegate() + "' | " + env + "CNI_COMMAND=ADD /usr/lib/cni/ptp");
    CPPUNIT_ASSERT_MESSAGE(theirs, theirs.find("10.98.17.3/24") != std::string::npos);
    std::string theirsRoutes = inContainer("ip -d route show");
    std::string theirsAddr = inContainer("ip -br addr show eth0");
    sh("echo '" + expectedDelegate() + "' | " + env + "CNI_COMMAND=DEL /usr/lib/cni/ptp");
    // Round robin through the same lease files: theirs is the next address.
    const std::regex next("10\\.98\\.17\\.3");
    theirsRoutes = std::regex_replace(theirsRoutes, next, "10.98.17.2");
    theirsAddr = std::regex_replace(theirsAddr, next, "10.98.17.2");
    CPPUNIT_ASSERT_EQUAL(theirsRoutes, oursRoutes);
    const std::regex peerAndLinkLocal("@if[0-9]+|fe80::\\S+");
    CPPUNIT_ASSERT_EQUAL(std::regex_replace(theirsAddr, peerAndLinkLocal, ""),
                         std::regex_replace(oursAddr, peerAndLinkLocal, ""));
  }

  // No delegate: a bridge (cni0, the gateway on it), as the reference; then the reference bridge
  // fed the bytes the reference flannel hands it gives the same pod and bridge addresses and
  // routes.
  void bridgeByDefaultAsTheReference() {
    if (!exists(std::string(RKT_PLUGIN_BUILD_DIR) + "/net-bridge.so") ||
        !exists("/usr/lib/cni/bridge")) {
      std::fprintf(stderr,
                   "\nSKIP bridgeByDefaultAsTheReference: net-bridge.so or "
                   "/usr/lib/cni/bridge missing\n");
      return;
    }
    const std::string conf = R"({"cniVersion":"1.0.0","name":"flnet","type":"flannel",)"
                             R"("subnetFile":")" +
                             net_->dir() + R"(/subnet.env","dataDir":")" + net_->dir() +
                             R"(/flannel","ipam":{"dataDir":")" + net_->dir() + R"(/ipam"}})";
    const auto ours =
        net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("b", conf), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(ours.message(), ours.ok);
    const std::string delegate = readFile(net_->dir() + "/flannel/b");
    CPPUNIT_ASSERT_EQUAL(R"({"cniVersion":"1.0.0","ipMasq":false,"ipam":{"dataDir":")" +
                             net_->dir() +
                             R"(/ipam","ranges":[[{"subnet":"10.98.17.0/24"}]],"routes":[{"dst":)"
                             R"("10.98.0.0/16"}],"type":"host-local"},"isGateway":true,"mtu":1410,)"
                             R"("name":"flnet","type":"bridge"})",
                         delegate);
    const auto snapshot = [&] {
      return std::regex_replace(inContainer("ip -d route show") +
                                    inContainer("ip -br addr show eth0") +
                                    sh("ip -br addr show cni0") + sh("ip route show"),
                                std::regex("@if[0-9]+|fe80::\\S+|10\\.98\\.17\\.[23]\\b"), "");
    };
    const std::string oursState = snapshot();
    CPPUNIT_ASSERT_MESSAGE(oursState,
                           oursState.find("10.98.0.0/16 via 10.98.17.1") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(oursState, oursState.find("10.98.17.1/24") != std::string::npos);
    CPPUNIT_ASSERT(
        net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, request("b", conf), net_->ctr()).ok);
    CPPUNIT_ASSERT(!exists(net_->dir() + "/flannel/b"));
    const std::string env =
        "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_CONTAINERID=b "
        "CNI_NETNS=" +
        netnsPath() + " CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni ";
    const std::string theirs =
        sh("echo '" + delegate + "' | " + env + "CNI_COMMAND=ADD /usr/lib/cni/bridge");
    CPPUNIT_ASSERT_MESSAGE(theirs, theirs.find("10.98.17.3/24") != std::string::npos);
    const std::string theirsState = snapshot();
    sh("echo '" + delegate + "' | " + env + "CNI_COMMAND=DEL /usr/lib/cni/bridge");
    CPPUNIT_ASSERT_EQUAL(theirsState, oursState);
  }

 private:
  std::unique_ptr<rkt::test::cni::ScratchNetworks> net_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlannelTest);
