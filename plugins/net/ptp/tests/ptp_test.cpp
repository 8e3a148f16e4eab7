// ptp + host-local in-process on real network namespaces, against the reference plugin's
// captured behaviour (cni-notes §2.1, §4.2) and, when installed, the reference binary itself.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "support/cni/side_by_side.hpp"

namespace pc = rkt::protocol::cni;

using rkt::test::cni::exists;
using rkt::test::cni::openNetns;
using rkt::test::cni::sh;

class PtpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PtpTest);
  CPPUNIT_TEST(addConfiguresBothEndsAsTheReference);
  CPPUNIT_TEST(failedAddRollsBack);
  CPPUNIT_TEST(sameRoutesAsTheReferenceBinary);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    net_ = std::make_unique<rkt::test::cni::ScratchNetworks>("rkt-ptp-test");
    net_->fresh();
  }
  void tearDown() override { net_.reset(); }

  std::string inContainer(const std::string& cmd) const {
    return sh("nsenter --net=/proc/" + std::to_string(::getpid()) + "/fd/" +
              std::to_string(net_->ctr()) + " " + cmd);
  }

  pc::Request request(const std::string& id, const std::string& ifname = "eth0") const {
    pc::Request r;
    r.cniVersion = "1.0.0";
    r.name = "cnitest-ptp";
    r.containerId = id;
    r.ifName = ifname;
    r.netns = "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(net_->ctr());
    r.config.text =
        R"({"cniVersion":"1.0.0","name":"cnitest-ptp","type":"ptp","ipMasq":true,"mtu":1400,)"
        R"("ipam":{"type":"host-local","subnet":"10.99.0.0/24","routes":[{"dst":"0.0.0.0/0"}],)"
        R"("dataDir":")" +
        net_->dir() + R"(/ipam"},"dns":{"nameservers":["10.99.0.1"]}})";
    return r;
  }

  void addConfiguresBothEndsAsTheReference() {
    const auto add = net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("ctr1"), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(add.message(), add.ok);
    const std::regex expected(
        R"(\{"cniVersion":"1.0.0","interfaces":\[\{"name":"veth[0-9a-f]{8}","mac":"[0-9a-f:]{17}"\},)"
        R"(\{"name":"eth0","mac":"[0-9a-f:]{17}","sandbox":"/proc/[0-9]+/fd/[0-9]+"\}\],)"
        R"("ips":\[\{"interface":1,"address":"10.99.0.2/24","gateway":"10.99.0.1"\}\],)"
        R"("routes":\[\{"dst":"0.0.0.0/0"\}\],"dns":\{"nameservers":\["10.99.0.1"\]\}\})");
    CPPUNIT_ASSERT_MESSAGE(add.result, std::regex_match(add.result, expected));

    const std::string routes = inContainer("ip -d route show");
    CPPUNIT_ASSERT_MESSAGE(routes, routes.find("unicast default via 10.99.0.1 dev eth0 proto boot "
                                               "scope global") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(routes,
                           routes.find("unicast 10.99.0.0/24 via 10.99.0.1 dev eth0 proto "
                                       "boot scope global src 10.99.0.2") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(routes, routes.find("unicast 10.99.0.1 dev eth0 proto boot scope link "
                                               "src 10.99.0.2") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(routes, routes.find("proto kernel") == std::string::npos);
    const std::string link = inContainer("ip addr show eth0");
    CPPUNIT_ASSERT_MESSAGE(link, link.find("mtu 1400") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(link, link.find("inet 10.99.0.2/24 brd 10.99.0.255 scope global eth0") !=
                                     std::string::npos);
    const std::string hostAddr = sh("ip addr show");
    CPPUNIT_ASSERT_MESSAGE(
        hostAddr, hostAddr.find("inet 10.99.0.1/32 scope global veth") != std::string::npos);
    const std::string hostRoute = sh("ip -d route show");
    CPPUNIT_ASSERT_MESSAGE(
        hostRoute,
        std::regex_search(
            hostRoute, std::regex("unicast 10.99.0.2 dev veth[0-9a-f]{8} proto boot scope host")));
    CPPUNIT_ASSERT_EQUAL(std::string("1\n"), sh("cat /proc/sys/net/ipv4/ip_forward"));
    // Traffic over the veth pair, host to pod.
    sh("ip link set lo up");
    const std::string ping = sh(exists("/usr/bin/busybox") ? "busybox ping -c 1 -W 2 10.99.0.2"
                                                           : "ping -c 1 -W 2 10.99.0.2");
    CPPUNIT_ASSERT_MESSAGE(ping, ping.find("not found") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(ping, ping.find("1 packets received") != std::string::npos ||
                                     ping.find("1 received") != std::string::npos);
    CPPUNIT_ASSERT(exists(net_->dir() + "/ipam/cnitest-ptp/10.99.0.2"));
    // ipMasq: the reference chain, as nftables rules of rkt_support_netfilter (scratch netns).
    const std::string rules = sh("nft list ruleset");
    CPPUNIT_ASSERT_MESSAGE(rules,
                           rules.find("ip saddr 10.99.0.2 counter") != std::string::npos &&
                               rules.find("CNI-4202b199b4af3d0eb7fac86f") != std::string::npos);

    pc::Request check = request("ctr1");
    check.prevResult.text = add.result;
    const auto checked = net_->runner().run(RKT_KIND_NET, RKT_CNI_CHECK, check, net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(checked.message(), checked.ok);
    inContainer("ip route del default");
    const auto broken = net_->runner().run(RKT_KIND_NET, RKT_CNI_CHECK, check, net_->ctr());
    CPPUNIT_ASSERT(!broken.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("Expected Route 0.0.0.0/0 not found in routing table"),
                         broken.message());

    const auto del = net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, check, net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(del.message(), del.ok);
    CPPUNIT_ASSERT(inContainer("ip link show eth0").find("does not exist") != std::string::npos);
    CPPUNIT_ASSERT(sh("ip link show").find("veth") == std::string::npos);
    CPPUNIT_ASSERT(sh("ip route show").empty());
    CPPUNIT_ASSERT(!exists(net_->dir() + "/ipam/cnitest-ptp/10.99.0.2"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), sh("nft list ruleset"));
    // DEL again, and DEL without a netns (the pod's netns is gone), succeed.
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, check, net_->ctr()).ok);
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, check, -1).ok);
  }

  void failedAddRollsBack() {
    inContainer("ip link add eth1 type veth peer name eth1p");
    const auto add =
        net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("ctr2", "eth1"), net_->ctr());
    CPPUNIT_ASSERT(!add.ok);
    CPPUNIT_ASSERT_EQUAL(999, add.error.code);
    CPPUNIT_ASSERT_EQUAL(std::string("container veth name provided (eth1) already exists"),
                         add.message());
    // The allocation made before the failure is released; nothing on the host side.
    CPPUNIT_ASSERT(!exists(net_->dir() + "/ipam/cnitest-ptp/10.99.0.2"));
    CPPUNIT_ASSERT(sh("ip link show").find("veth") == std::string::npos);
    pc::Request bad = request("ctr2");
    bad.cniVersion = "9.9.9";
    const auto refused = net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, bad, net_->ctr());
    CPPUNIT_ASSERT_EQUAL(1, refused.error.code);
    CPPUNIT_ASSERT_EQUAL(std::string("incompatible CNI versions"), refused.error.msg);
  }

  // The reference binary on a second container netns with the same configuration: the same
  // routes on both sides once names and addresses are normalised.
  void sameRoutesAsTheReferenceBinary() {
    if (!exists("/usr/lib/cni/ptp")) {
      std::fprintf(stderr,
                   "\nSKIP sameRoutesAsTheReferenceBinary: /usr/lib/cni/ptp missing "
                   "(Debian package containernetworking-plugins)\n");
      return;
    }
    const auto ours = net_->runner().run(RKT_KIND_NET, RKT_CNI_ADD, request("ours"), net_->ctr());
    CPPUNIT_ASSERT_MESSAGE(ours.message(), ours.ok);
    const std::string oursRoutes = inContainer("ip -d route show");
    CPPUNIT_ASSERT(net_->runner().run(RKT_KIND_NET, RKT_CNI_DEL, request("ours"), net_->ctr()).ok);
    const std::string env =
        "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_CONTAINERID=ours "
        "CNI_NETNS=" +
        request("ours").netns + " CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni ";
    const std::string conf = request("ours").config.text;
    const std::string theirs =
        sh("echo '" + conf + "' | " + env + "CNI_COMMAND=ADD /usr/lib/cni/ptp");
    CPPUNIT_ASSERT_MESSAGE(theirs, theirs.find("10.99.0.3/24") != std::string::npos);
    std::string theirsRoutes = inContainer("ip -d route show");
    sh("echo '" + conf + "' | " + env + "CNI_COMMAND=DEL /usr/lib/cni/ptp");
    // Their allocation followed ours (round robin through the same lease files).
    theirsRoutes = std::regex_replace(theirsRoutes, std::regex("10\\.99\\.0\\.3"), "10.99.0.2");
    CPPUNIT_ASSERT_EQUAL(theirsRoutes, oursRoutes);
  }

 private:
  std::unique_ptr<rkt::test::cni::ScratchNetworks> net_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PtpTest);
