// flannel's delegate configuration, byte for byte what the reference meta plugin writes to its
// scratch file (flannel-io/cni-plugin; Go marshals maps with sorted keys), and its refusals.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "delegate_conf.hpp"
#include "rkt/sdk/protocol/cni.hpp"

using namespace rkt::flannel;
namespace pc = rkt::protocol::cni;

namespace {

const char* const kEnv =
    "FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\n"
    "FLANNEL_IPMASQ=true\n";

std::string failure(const std::function<void()>& f) {
  try {
    f();
  } catch (const pc::Failure& e) {
    return e.object().msg;
  }
  return "no failure";
}

}  // namespace

class FlannelDelegateConfTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlannelDelegateConfTest);
  CPPUNIT_TEST(defaultsToABridgeOnTheSubnet);
  CPPUNIT_TEST(delegateAndIpamOverrideDefaults);
  CPPUNIT_TEST(dualStackAndSeveralNetworks);
  CPPUNIT_TEST(refusesWhatTheReferenceRefuses);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaultsToABridgeOnTheSubnet() {
    const SubnetEnv env = parseSubnetEnv(kEnv, "/run/flannel/subnet.env");
    CPPUNIT_ASSERT_EQUAL(std::string("10.1.17.0/24"), env.subnet);
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"cniVersion":"1.0.0","ipMasq":false,"ipam":{"ranges":[[{"subnet":)"
                    R"("10.1.17.0/24"}]],"routes":[{"dst":"10.1.0.0/16"}],"type":"host-local"},)"
                    R"("isGateway":true,"mtu":1472,"name":"flnet","type":"bridge"})"),
        buildDelegateConf(R"({"cniVersion":"1.0.0","name":"flnet","type":"flannel"})", "", env));
    const FlannelConf c = parseFlannelConf(R"({"name":"flnet","type":"flannel"})");
    CPPUNIT_ASSERT_EQUAL(std::string("/run/flannel/subnet.env"), c.subnetFile);
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/cni/flannel"), c.dataDir);
  }

  void delegateAndIpamOverrideDefaults() {
    const SubnetEnv env = parseSubnetEnv(
        "FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1450\n"
        "FLANNEL_IPMASQ=false\n",
        "x");
    // The user's delegate keys stay; ipam keeps its own keys and routes, flannel's come last;
    // runtimeConfig is copied in; no isGateway for a non-bridge delegate.
    const std::string conf = buildDelegateConf(
        R"({"cniVersion":"0.3.1","name":"n","type":"flannel","delegate":{"type":"ptp","mtu":1400,)"
        R"("hairpinMode":true},"ipam":{"dataDir":"/tmp/x","routes":[{"dst":"0.0.0.0/0"}]}})",
        R"({"portMappings":[]})", env);
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"cniVersion":"0.3.1","hairpinMode":true,"ipMasq":true,"ipam":{"dataDir":)"
                    R"("/tmp/x","ranges":[[{"subnet":"10.1.17.0/24"}]],"routes":[{"dst":)"
                    R"("0.0.0.0/0"},{"dst":"10.1.0.0/16"}],"type":"host-local"},"mtu":1400,)"
                    R"("name":"n","runtimeConfig":{"portMappings":[]},"type":"ptp"})"),
        conf);
    // A bridge delegate that says isGateway false keeps it.
    const std::string bridge = buildDelegateConf(
        R"({"name":"n","type":"flannel","delegate":{"isGateway":false,"ipMasq":false}})", "", env);
    CPPUNIT_ASSERT(bridge.find(R"("isGateway":false)") != std::string::npos);
    CPPUNIT_ASSERT(bridge.find(R"("ipMasq":false)") != std::string::npos);
    CPPUNIT_ASSERT(bridge.find("cniVersion") == std::string::npos);
  }

  void dualStackAndSeveralNetworks() {
    const SubnetEnv env = parseSubnetEnv(
        "FLANNEL_NETWORK=10.1.0.0/16,10.2.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\n"
        "FLANNEL_IPV6_NETWORK=fd10::/48\nFLANNEL_IPV6_SUBNET=fd10:0:0:11::1/64\n"
        "FLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n",
        "x");
    const std::string conf = buildDelegateConf(R"({"name":"n","type":"flannel"})", "", env);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"ipMasq":false,"ipam":{"ranges":[[{"subnet":)"
                                     R"("10.1.17.0/24"}],[{"subnet":"fd10:0:0:11::/64"}]],)"
                                     R"("routes":[{"dst":"10.1.0.0/16"},{"dst":"10.2.0.0/16"},)"
                                     R"({"dst":"fd10::/48"}],"type":"host-local"},"isGateway":)"
                                     R"(true,"mtu":1472,"name":"n","type":"bridge"})"),
                         conf);
    // IPv6 only is enough.
    CPPUNIT_ASSERT_NO_THROW(
        parseSubnetEnv("FLANNEL_IPV6_NETWORK=fd10::/48\nFLANNEL_IPV6_SUBNET=fd10:0:0:11::1/64\n"
                       "FLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n",
                       "x"));
  }

  void refusesWhatTheReferenceRefuses() {
    CPPUNIT_ASSERT_EQUAL(
        std::string("/run/f.env is missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_MTU"),
        failure([] {
          parseSubnetEnv("FLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_IPMASQ=1\n", "/run/f.env");
        }));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid CIDR address: 10.1.0.0/33"),
                         failure([] { parseSubnetEnv("FLANNEL_NETWORK=10.1.0.0/33\n", "x"); }));
    CPPUNIT_ASSERT_EQUAL(
        std::string("'delegate' dictionary must not have 'name' field, it'll be set by flannel"),
        failure([] { parseFlannelConf(R"({"name":"n","delegate":{"name":"x"}})"); }));
    CPPUNIT_ASSERT_EQUAL(
        std::string("'delegate' dictionary must not have 'ipam' field, it'll be set by flannel"),
        failure([] { parseFlannelConf(R"({"name":"n","delegate":{"ipam":{}}})"); }));
    CPPUNIT_ASSERT_EQUAL(
        std::string("'delegate' dictionary, if present, must have (string) 'type' field"),
        failure([] { parseFlannelConf(R"({"name":"n","delegate":{"type":3}})"); }));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlannelDelegateConfTest);
