// host-local against a scratch dataDir: the reference plugin's allocations, messages and files
// (cni-notes §4.2 and §4.8, captured from Debian's containernetworking-plugins 1.1.1).
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "host_local.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace pc = rkt::protocol::cni;
using rkt::hostlocal::HostLocal;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

class HostLocalTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HostLocalTest);
  CPPUNIT_TEST(allocatesRoundRobinAndWritesReferenceFiles);
  CPPUNIT_TEST(severalRangesIpv6RoutesAndDns);
  CPPUNIT_TEST(refusesWhatTheReferenceRefuses);
  CPPUNIT_TEST(releasesLegacyLeasesAndCollectsGarbage);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-host-local.XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
  }
  void tearDown() override { (void)rkt::posix::removeTree(dir_); }

  pc::Request request(const std::string& ipam, const std::string& id,
                      const std::string& version = "1.0.0") {
    pc::Request r;
    r.cniVersion = version;
    r.name = "net1";
    r.containerId = id;
    r.ifName = "eth0";
    std::string withDir = ipam;
    withDir.insert(1, "\"dataDir\":\"" + dir_ + "\",");
    r.config.text = "{\"cniVersion\":\"" + version +
                    "\",\"name\":\"net1\",\"type\":\"ptp\",\"ipam\":" + withDir + "}";
    return r;
  }

  std::string add(const pc::Request& r) {
    return rkt::protocol::encode(plugin_.add(rkt::sdk::NetContext(nullptr), r));
  }
  std::string failure(const pc::Request& r) {
    try {
      plugin_.add(rkt::sdk::NetContext(nullptr), r);
    } catch (const pc::Failure& f) {
      CPPUNIT_ASSERT_EQUAL(999, f.object().code);
      return f.object().msg;
    }
    return "no failure";
  }

  void allocatesRoundRobinAndWritesReferenceFiles() {
    const std::string ipam =
        R"({"type":"host-local","subnet":"10.99.0.0/24","routes":[{"dst":"0.0.0.0/0"}]})";
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            R"({"cniVersion":"1.0.0","ips":[{"address":"10.99.0.2/24","gateway":"10.99.0.1"}],)"
            R"("routes":[{"dst":"0.0.0.0/0"}],"dns":{}})"),
        add(request(ipam, "ctr1")));
    CPPUNIT_ASSERT_EQUAL(std::string("ctr1\r\neth0"), readFile(dir_ + "/net1/10.99.0.2"));
    CPPUNIT_ASSERT_EQUAL(std::string("10.99.0.2"), readFile(dir_ + "/net1/last_reserved_ip.0"));
    CPPUNIT_ASSERT(exists(dir_ + "/net1/lock"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("failed to allocate for range 0: 10.99.0.2 has been allocated to ctr1, "
                    "duplicate allocation is not allowed"),
        failure(request(ipam, "ctr1")));
    // Round robin continues after the last reserved address even once it is released.
    plugin_.del(rkt::sdk::NetContext(nullptr), request(ipam, "ctr1"));
    CPPUNIT_ASSERT(!exists(dir_ + "/net1/10.99.0.2"));
    CPPUNIT_ASSERT(add(request(ipam, "ctr2")).find("10.99.0.3/24") != std::string::npos);
    plugin_.del(rkt::sdk::NetContext(nullptr), request(ipam, "ctr2"));
    plugin_.del(rkt::sdk::NetContext(nullptr), request(ipam, "ctr2"));  // idempotent
  }

  void severalRangesIpv6RoutesAndDns() {
    std::ofstream(dir_ + "/resolv.conf")
        << "nameserver 10.99.0.53\nsearch a.example b.example\noptions ndots:2\ndomain example\n";
    const std::string ipam =
        R"({"type":"host-local","ranges":[[{"subnet":"10.99.5.0/30"},{"subnet":"10.99.6.0/29",)"
        R"("rangeStart":"10.99.6.5","gateway":"10.99.6.6"}],[{"subnet":"fd99:99::/120",)"
        R"("rangeEnd":"fd99:99::3"}]],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16",)"
        R"("gw":"10.99.5.1"}],"resolvConf":")" +
        dir_ + "/resolv.conf\"}";
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            R"({"cniVersion":"1.0.0","ips":[{"address":"10.99.5.2/30","gateway":"10.99.5.1"},)"
            R"({"address":"fd99:99::2/120","gateway":"fd99:99::1"}],)"
            R"("routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"10.99.5.1"}],)"
            R"("dns":{"nameservers":["10.99.0.53"],"domain":"example",)"
            R"("search":["a.example","b.example"],"options":["ndots:2"]}})"),
        add(request(ipam, "h1")));
    const std::string h2 = add(request(ipam, "h2"));
    CPPUNIT_ASSERT(h2.find(R"("address":"10.99.6.5/29","gateway":"10.99.6.6")") !=
                   std::string::npos);
    CPPUNIT_ASSERT(h2.find(R"("address":"fd99:99::3/120")") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("failed to allocate for range 0: no IP addresses available "
                                     "in range set: 10.99.5.1-10.99.5.2,10.99.6.5-10.99.6.6"),
                         failure(request(ipam, "h3")));
    CPPUNIT_ASSERT_EQUAL(std::string("fd99:99::3"), readFile(dir_ + "/net1/last_reserved_ip.1"));
    plugin_.del(rkt::sdk::NetContext(nullptr), request(ipam, "h1"));
    const std::string h3 = add(request(ipam, "h3"));  // wrapped round robin
    CPPUNIT_ASSERT(h3.find("10.99.5.2/30") != std::string::npos);
    CPPUNIT_ASSERT(h3.find("fd99:99::2/120") != std::string::npos);
  }

  void refusesWhatTheReferenceRefuses() {
    const std::string ipam = R"({"type":"host-local","subnet":"10.99.5.0/30"})";
    pc::Request r = request(ipam, "x1");
    r.args = "IP=10.99.5.1";
    CPPUNIT_ASSERT_EQUAL(
        std::string("failed to allocate for range 0: requested ip 10.99.5.1 is subnet's gateway"),
        failure(r));
    r.args = "FOO=bar";
    CPPUNIT_ASSERT_EQUAL(std::string("ARGS: unknown args [\"FOO=bar\"]"), failure(r));
    r.args = "IgnoreUnknown=1;FOO=bar;IP=10.99.5.2";
    CPPUNIT_ASSERT(add(r).find("10.99.5.2/30") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid range set 0: Network 10.99.7.0/31 too small to "
                    "allocate from"),
        failure(request(R"({"type":"host-local","subnet":"10.99.7.0/31"})", "x2")));
    // Nothing half-allocated is left after a failure in a later range set.
    const std::string two = R"({"type":"host-local","ranges":[[{"subnet":"10.98.0.0/24"}],)"
                            R"([{"subnet":"10.99.5.0/30"}]]})";
    CPPUNIT_ASSERT(failure(request(two, "x3")).find("range 1: no IP addresses") !=
                   std::string::npos);
    CPPUNIT_ASSERT(!exists(dir_ + "/net1/10.98.0.2"));
    try {
      plugin_.check(rkt::sdk::NetContext(nullptr), request(ipam, "x3"));
      CPPUNIT_FAIL("check of an unknown container succeeded");
    } catch (const pc::Failure& f) {
      CPPUNIT_ASSERT_EQUAL(std::string("host-local: Failed to find address added by container x3"),
                           f.object().msg);
    }
  }

  void releasesLegacyLeasesAndCollectsGarbage() {
    const std::string ipam = R"({"type":"host-local","subnet":"10.97.0.0/24"})";
    add(request(ipam, "keep"));
    add(request(ipam, "drop"));
    std::ofstream(dir_ + "/net1/10.97.0.50") << "rkt-era";  // the id alone, as rkt's CNI wrote
    plugin_.del(rkt::sdk::NetContext(nullptr), request(ipam, "rkt-era"));
    CPPUNIT_ASSERT(!exists(dir_ + "/net1/10.97.0.50"));
    pc::Request gc = request(ipam, "");
    gc.validAttachments.push_back({"keep", "eth0"});
    plugin_.gc(rkt::sdk::NetContext(nullptr), gc);
    CPPUNIT_ASSERT(exists(dir_ + "/net1/10.97.0.2"));
    CPPUNIT_ASSERT(!exists(dir_ + "/net1/10.97.0.3"));
  }

 private:
  std::string dir_;
  HostLocal plugin_{"{}"};
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostLocalTest);
