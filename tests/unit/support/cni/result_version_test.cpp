// CNI results across versions (support/cni result_version): CNI's conversion rules
// (containernetworking/cni pkg/types/{020,040,100}) and the layouts the reference plugins print
// (cni-notes §4.2, "Legacy result formats").
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rkt/support/cni/result_version.hpp"

namespace pc = rkt::protocol::cni;
using rkt::cni::encodeResultAs;
using rkt::cni::parseResultAnyVersion;

namespace {

pc::Result ptpResult() {
  // The reference ptp's 1.0.0 result with an IPv6 address and route added.
  return parseResultAnyVersion(
      R"({"cniVersion":"1.0.0","interfaces":[{"name":"veth58334fdf","mac":"1e:d7:55:4b:b2:2c"},)"
      R"({"name":"eth0","mac":"4a:06:da:43:b5:dc","sandbox":"/var/run/netns/c"}],)"
      R"("ips":[{"interface":1,"address":"10.99.4.4/24","gateway":"10.99.4.1"},)"
      R"({"interface":1,"address":"fd99::4/64","gateway":"fd99::1"},)"
      R"({"interface":1,"address":"10.99.5.4/24"}],)"
      R"("routes":[{"dst":"0.0.0.0/0"},{"dst":"fd00::/8","gw":"fd99::1"}],"dns":{}})",
      "1.0.0");
}

}  // namespace

class CniResultVersionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CniResultVersionTest);
  CPPUNIT_TEST(legacyResultsBecomeTheSdkLayout);
  CPPUNIT_TEST(versionedIpsLoseTheirVersion);
  CPPUNIT_TEST(encodesEachLayoutAsTheGoTypes);
  CPPUNIT_TEST(legacyLayoutWithoutAddressesFails);
  CPPUNIT_TEST(garbageIsADecodeFailure);
  CPPUNIT_TEST_SUITE_END();

 public:
  void legacyResultsBecomeTheSdkLayout() {
    // rkt's default network's result from the reference ptp (cniVersion 0.1.0).
    const pc::Result r = parseResultAnyVersion(
        R"({"cniVersion":"0.1.0","ip4":{"ip":"10.99.4.2/24","gateway":"10.99.4.1",)"
        R"("routes":[{"dst":"0.0.0.0/0"}]},"ip6":{"ip":"fd99::2/64","routes":[{"dst":"::/0",)"
        R"("gw":"fd99::1"}]},"dns":{"nameservers":["10.99.4.1"]}})",
        "1.0.0");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"cniVersion":"1.0.0","ips":[{"address":"10.99.4.2/24",)"
                                     R"("gateway":"10.99.4.1"},{"address":"fd99::2/64"}],)"
                                     R"("routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0","gw":)"
                                     R"("fd99::1"}],"dns":{"nameservers":["10.99.4.1"]}})"),
                         rkt::protocol::encode(r));
  }

  void versionedIpsLoseTheirVersion() {
    const pc::Result r = parseResultAnyVersion(
        R"({"cniVersion":"0.3.1","interfaces":[{"name":"eth0","sandbox":"/x"}],)"
        R"("ips":[{"version":"4","interface":0,"address":"10.1.0.2/16","gateway":"10.1.0.1"}],)"
        R"("dns":{}})",
        "0.3.1");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"cniVersion":"0.3.1","interfaces":[{"name":"eth0",)"
                                     R"("sandbox":"/x"}],"ips":[{"interface":0,"address":)"
                                     R"("10.1.0.2/16","gateway":"10.1.0.1"}],"dns":{}})"),
                         rkt::protocol::encode(r));
  }

  void encodesEachLayoutAsTheGoTypes() {
    const pc::Result r = ptpResult();
    // 0.1.0/0.2.0: the first address of each family, routes under their family.
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"cniVersion":"0.1.0","ip4":{"ip":"10.99.4.4/24","gateway":"10.99.4.1",)"
                    R"("routes":[{"dst":"0.0.0.0/0"}]},"ip6":{"ip":"fd99::4/64","gateway":)"
                    R"("fd99::1","routes":[{"dst":"fd00::/8","gw":"fd99::1"}]},"dns":{}})"),
        encodeResultAs(r, "0.1.0"));
    // 0.3.x/0.4.0: "version" first in each ips entry.
    const std::string v031 = encodeResultAs(r, "0.3.1");
    CPPUNIT_ASSERT(v031.find(R"("ips":[{"version":"4","interface":1,"address":"10.99.4.4/24")") !=
                   std::string::npos);
    CPPUNIT_ASSERT(v031.find(R"({"version":"6","interface":1,"address":"fd99::4/64")") !=
                   std::string::npos);
    CPPUNIT_ASSERT(v031.rfind(R"({"cniVersion":"0.3.1","interfaces":)", 0) == 0);
    // 1.x: the SDK layout.
    const std::string v100 = encodeResultAs(r, "1.0.0");
    CPPUNIT_ASSERT(v100.find("\"version\"") == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(rkt::protocol::encode(r), v100);
  }

  void legacyLayoutWithoutAddressesFails() {
    pc::Result r;
    r.interfaces.push_back({"eth0", "", "/x", std::nullopt});
    try {
      encodeResultAs(r, "0.2.0");
      CPPUNIT_FAIL("a 0.2.0 result needs an address");
    } catch (const pc::Failure& f) {
      CPPUNIT_ASSERT_EQUAL(std::string("cannot convert: no valid IP addresses"), f.object().msg);
    }
    CPPUNIT_ASSERT_NO_THROW(encodeResultAs(r, "1.0.0"));
  }

  void garbageIsADecodeFailure() {
    for (const char* text : {"{not json", "[1,2]", R"({"cniVersion":"0.2.0","ip4":{}})"}) {
      try {
        parseResultAnyVersion(text, "1.0.0");
        CPPUNIT_FAIL(std::string("accepted ") + text);
      } catch (const pc::Failure& f) {
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(pc::kDecodeFailure), f.object().code);
      }
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CniResultVersionTest);
