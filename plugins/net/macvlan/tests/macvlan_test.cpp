// macvlan + host-local in-process on scratch network namespaces, side by side with the
// reference binary (/usr/lib/cni/macvlan, Debian containernetworking-plugins 1.1.1) on the same
// configurations (tests/unit/support/cni/side_by_side.hpp). The master is a veth of the scratch
// host (this kernel has no dummy links), as in cni-notes §4.6.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "support/cni/side_by_side.hpp"

namespace sbs = rkt::test::cni;

namespace {

std::string conf(const std::string& keys, const std::string& ipam) {
  return R"({"cniVersion":"1.0.0","name":"cnitest-mv","type":"macvlan",)" + keys + R"("ipam":)" +
         ipam + "}";
}

const char* const kSubnet = R"({"type":"host-local","dataDir":"@DATA@","subnet":"10.99.2.0/24"})";

// A master with a default route through it, for the default-master case.
void master(sbs::SideBySide&) {
  sbs::addMaster("10.99.50.1/24", "10.99.50.254");
}

}  // namespace

class MacvlanTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MacvlanTest);
  CPPUNIT_TEST(bridgeModeAsTheReference);
  CPPUNIT_TEST(macAndIpFromArgsAsTheReference);
  CPPUNIT_TEST(defaultMasterPrivateMtuRoutesDualStackAsTheReference);
  CPPUNIT_TEST(layer2OnlyAsTheReference);
  CPPUNIT_TEST(refusalsAsTheReference);
  CPPUNIT_TEST(failedIpamRollsBack);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    have_ = sbs::SideBySide::haveReference("macvlan", "MacvlanTest (side by side)");
    s_ = std::make_unique<sbs::SideBySide>();
  }
  void tearDown() override { s_.reset(); }

  void compare(const std::string& c, const std::string& args = "", sbs::Differences differs = {}) {
    if (have_) {
      sbs::compareWithReference(*s_, "macvlan", c, args, master, differs);
    }
  }

  void bridgeModeAsTheReference() {
    compare(conf(R"("master":"cnim0","mode":"bridge",)", kSubnet));  // cni-notes §4.6
  }

  void macAndIpFromArgsAsTheReference() {
    compare(conf(R"("master":"cnim0",)", kSubnet),
            "IgnoreUnknown=1;MAC=02:99:00:00:00:03;IP=10.99.2.77");
  }

  void defaultMasterPrivateMtuRoutesDualStackAsTheReference() {
    compare(conf(R"("mode":"private","mtu":1400,"dns":{"nameservers":["10.99.2.1"]},)",
                 R"({"type":"host-local","dataDir":"@DATA@","ranges":[[{"subnet":"10.99.2.0/24"}],)"
                 R"([{"subnet":"fd99:2::/64"}]],"routes":[{"dst":"0.0.0.0/0"},)"
                 R"({"dst":"192.168.0.0/16","gw":"10.99.2.254"},{"dst":"::/0"}]})"));
  }

  void layer2OnlyAsTheReference() { compare(conf(R"("master":"cnim0","mode":"vepa",)", "{}")); }

  void refusalsAsTheReference() {
    // The reference's DEL checks the master and the MTU again and fails; ours needs neither.
    sbs::Differences differs;
    differs.del = true;
    compare(conf(R"("master":"cnim0","mtu":9000,)", kSubnet), "", differs);
    compare(conf(R"("master":"nosuch0",)", kSubnet), "", differs);
    compare(conf(R"("master":"cnim0","mode":"loud",)", kSubnet), "", differs);
    s_->fresh();
    master(*s_);
    const auto mtu = s_->ours(RKT_CNI_ADD, s_->request(conf(R"("mtu":9000,)", kSubnet), "c"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"code":999,"msg":"invalid MTU 9000, must be [0, master MTU(1500)]"})"),
        mtu.output);
    const auto mode = s_->ours(RKT_CNI_ADD, s_->request(conf(R"("mode":"loud",)", kSubnet), "c"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"code":999,"msg":"unknown macvlan mode: \"loud\""})"),
                         mode.output);
    // DEL needs no master: it works after the master is gone.
    sbs::sh("ip link del cnim0");
    CPPUNIT_ASSERT(s_->ours(RKT_CNI_DEL, s_->request(conf("", kSubnet), "c")).ok);
  }

  void failedIpamRollsBack() {
    // The reference leaves the macvlan in the container when IPAM fails (cni-notes §4.6);
    // ours removes it.
    s_->fresh();
    master(*s_);
    const auto add = s_->ours(
        RKT_CNI_ADD, s_->request(conf(R"("master":"cnim0",)", R"({"type":"host-local"})"), "c"));
    CPPUNIT_ASSERT(!add.ok);
    CPPUNIT_ASSERT(s_->in(s_->ctr(), "ip -o link show").find("macvlan") == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("1: lo"), s_->in(s_->ctr(), "ip -o link show").substr(0, 5));
    CPPUNIT_ASSERT_EQUAL(std::string::npos, s_->in(s_->ctr(), "ip -o link show").find("2: "));
  }

 private:
  bool have_ = false;
  std::unique_ptr<sbs::SideBySide> s_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(MacvlanTest);
