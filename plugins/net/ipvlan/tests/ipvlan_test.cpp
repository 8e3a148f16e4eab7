// ipvlan + host-local in-process on scratch network namespaces, side by side with the reference
// binary (/usr/lib/cni/ipvlan, Debian containernetworking-plugins 1.1.1)
// (tests/unit/support/cni/side_by_side.hpp). On a kernel without ipvlan (main.cpp) only the
// refusal runs: one clear error, nothing left, no IPAM call.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <string>

#include "support/cni/side_by_side.hpp"

namespace sbs = rkt::test::cni;

namespace {

std::string conf(const std::string& keys, const std::string& ipam) {
  return R"({"cniVersion":"1.0.0","name":"cnitest-iv","type":"ipvlan",)" + keys + R"("ipam":)" +
         ipam + "}";
}

const char* const kSubnet = R"({"type":"host-local","dataDir":"@DATA@","subnet":"10.99.4.0/24"})";

void master(sbs::SideBySide&) {
  sbs::addMaster("10.99.51.1/24", "10.99.51.254");
}

bool noIpvlan() {
  return std::getenv("RKT_TEST_NO_IPVLAN") != nullptr;
}

}  // namespace

class IpvlanTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(IpvlanTest);
  CPPUNIT_TEST(withoutKernelSupportOneClearError);
  CPPUNIT_TEST(l2ModeAsTheReference);
  CPPUNIT_TEST(l3ModeDefaultMasterMtuAsTheReference);
  CPPUNIT_TEST(layer2OnlyAsTheReference);
  CPPUNIT_TEST(refusalsAsTheReference);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    have_ = !noIpvlan() && sbs::SideBySide::haveReference("ipvlan", "IpvlanTest (side by side)");
    s_ = std::make_unique<sbs::SideBySide>();
  }
  void tearDown() override { s_.reset(); }

  void compare(const std::string& c, sbs::Differences differs = {}) {
    if (have_) {
      sbs::compareWithReference(*s_, "ipvlan", c, "", master, differs);
    }
  }

  void withoutKernelSupportOneClearError() {
    if (!noIpvlan()) {
      return;  // the kernel has ipvlan: the other tests run instead
    }
    s_->fresh();
    master(*s_);
    const std::string c =
        conf(R"("master":"cnim0",)", R"({"type":"host-local","dataDir":")" + s_->dir() +
                                         R"(/iv","subnet":"10.99.4.0/24"})");
    const auto add = s_->ours(RKT_CNI_ADD, s_->request(c, "c"));
    CPPUNIT_ASSERT(!add.ok);
    const std::string expected =
        "{\"code\":999,\"msg\":\"ipvlan: the kernel has no ipvlan support (CONFIG_IPVLAN, "
        "module ipvlan)\"}";
    CPPUNIT_ASSERT_EQUAL(expected, add.output);
    CPPUNIT_ASSERT_EQUAL(std::string::npos, s_->in(s_->ctr(), "ip -o link show").find("2: "));
    CPPUNIT_ASSERT(!sbs::exists(s_->dir() + "/iv"));  // IPAM never ran
    CPPUNIT_ASSERT(s_->ours(RKT_CNI_DEL, s_->request(c, "c")).ok);
    // Chained (no master, no ipam): the master is prevResult's single interface.
    const std::string chained = R"({"cniVersion":"1.0.0","name":"cnitest-iv","type":"ipvlan"})";
    const auto two =
        s_->ours(RKT_CNI_ADD, s_->request(chained, "c"),
                 R"({"cniVersion":"1.0.0","interfaces":[{"name":"a"},{"name":"b"}],"ips":[]})");
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"code":999,"msg":"chained master failure. PrevResult )"
                                     R"(lacks a single named interface"})"),
                         two.output);
    const auto one = s_->ours(RKT_CNI_ADD, s_->request(chained, "c"),
                              R"({"cniVersion":"1.0.0","interfaces":[{"name":"cnim0"}],)"
                              R"("ips":[{"address":"10.99.4.9/24","interface":0}]})");
    CPPUNIT_ASSERT_EQUAL(expected, one.output);  // cnim0 found: the kernel's refusal
    if (sbs::SideBySide::haveReference("ipvlan", "withoutKernelSupportOneClearError")) {
      const auto ref = s_->theirs("ipvlan", "ADD", s_->request(c, "c"));
      CPPUNIT_ASSERT_MESSAGE(ref.output, !ref.ok);
    }
  }

  void l2ModeAsTheReference() { compare(conf(R"("master":"cnim0","mode":"l2",)", kSubnet)); }

  void l3ModeDefaultMasterMtuAsTheReference() {
    compare(conf(R"("mode":"l3","mtu":1400,)",
                 R"({"type":"host-local","dataDir":"@DATA@","subnet":"10.99.4.0/24",)"
                 R"("routes":[{"dst":"0.0.0.0/0"}]})"));
  }

  // 1.1.1's ipvlan has no layer-2 mode: without an IPAM type nor prevResult it fails.
  void layer2OnlyAsTheReference() { compare(conf(R"("master":"cnim0",)", "{}")); }

  void refusalsAsTheReference() {
    sbs::Differences differs;
    differs.del = true;
    compare(conf(R"("master":"cnim0","mtu":9000,)", kSubnet), differs);
    compare(conf(R"("master":"cnim0","mode":"l4",)", kSubnet), differs);
  }

 private:
  bool have_ = false;
  std::unique_ptr<sbs::SideBySide> s_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(IpvlanTest);
