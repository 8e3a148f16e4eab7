// DHCP messages, routes and the IPAM result made of an ACK (the reference's rules, cni-notes
// §2.7), and the configuration's keys and refusals: values only, no socket.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "dhcp_config.hpp"
#include "dhcp_exchange.hpp"
#include "dhcp_message.hpp"
#include "lease.hpp"

using namespace rkt::dhcp;
namespace pc = rkt::protocol::cni;

namespace {

Message ack(std::vector<std::pair<std::uint8_t, Bytes>> extra) {
  Message m;
  m.op = 2;
  m.xid = 0x01020304;
  m.yiaddr = {10, 77, 0, 50};
  m.chaddr = {2, 0, 0, 0, 0, 1};
  m.setOption(kOptMessageType, {kAck});
  m.setOption(kOptServerId, {10, 77, 0, 1});
  m.setOption(kOptSubnetMask, {255, 255, 255, 0});
  m.setOption(kOptRouter, {10, 77, 0, 1});
  m.setOption(kOptLeaseTime, {0, 0, 0, 120});
  for (auto& [c, v] : extra) {
    m.setOption(c, v);
  }
  return m;
}

pc::Request request(const std::string& ipam, const std::string& args = "") {
  pc::Request r;
  r.cniVersion = "1.0.0";
  r.name = "dnet";
  r.containerId = "c1";
  r.ifName = "eth0";
  r.args = args;
  r.config.text = R"({"cniVersion":"1.0.0","name":"dnet","type":"macvlan","ipam":)" + ipam + "}";
  return r;
}

std::string failure(const std::function<void()>& f) {
  try {
    f();
  } catch (const pc::Failure& e) {
    return e.object().msg;
  }
  return "no failure";
}

}  // namespace

class DhcpMessageTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DhcpMessageTest);
  CPPUNIT_TEST(encodesAndDecodes);
  CPPUNIT_TEST(resultAsTheReference);
  CPPUNIT_TEST(configuration);
  CPPUNIT_TEST(backoffAsTheReference);
  CPPUNIT_TEST_SUITE_END();

 public:
  void encodesAndDecodes() {
    Message m = ack({{kOptClientId, Bytes(300, 'x')}});
    const Bytes wire = encode(m);
    CPPUNIT_ASSERT(wire.size() >= 300);
    CPPUNIT_ASSERT_EQUAL(std::uint8_t{99}, wire[236]);  // the magic cookie
    const auto back = decode(wire.data(), wire.size());
    CPPUNIT_ASSERT(back);
    CPPUNIT_ASSERT_EQUAL(m.xid, back->xid);
    CPPUNIT_ASSERT(back->yiaddr == m.yiaddr && back->chaddr == m.chaddr);
    CPPUNIT_ASSERT(*back->type() == kAck);
    // A 300-byte option went out in two pieces and came back whole (RFC 3396).
    CPPUNIT_ASSERT_EQUAL(std::size_t{300}, back->option(kOptClientId)->size());
    CPPUNIT_ASSERT(!decode(wire.data(), 200));
    Bytes truncated(wire.begin(), wire.begin() + 245);
    truncated.back() = 200;  // an option longer than what is left
    CPPUNIT_ASSERT(!decode(truncated.data(), truncated.size()));
  }

  void resultAsTheReference() {
    // Router and mask: the address, the gateway, a default route via the router.
    Lease l = Lease::fromAck(ack({}));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"cniVersion":"1.0.0","ips":[{"address":"10.77.0.50/24","gateway":)"
                    R"("10.77.0.1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.77.0.1"}],"dns":{}})"),
        rkt::protocol::encode(l.result("1.0.0")));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{60}, l.renewSeconds);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{102}, l.rebindSeconds);
    // Option 33 (classful destinations) before the default route.
    l = Lease::fromAck(
        ack({{kOptStaticRoutes, {10, 9, 0, 0, 10, 77, 0, 9, 192, 168, 5, 0, 10, 77, 0, 8}}}));
    CPPUNIT_ASSERT_EQUAL(std::string(R"("routes":[{"dst":"10.9.0.0/8","gw":"10.77.0.9"},)"
                                     R"({"dst":"192.168.5.0/24","gw":"10.77.0.8"},)"
                                     R"({"dst":"0.0.0.0/0","gw":"10.77.0.1"}])"),
                         routesOf(l));
    // Option 121 replaces both (RFC 3442).
    l = Lease::fromAck(ack({{kOptStaticRoutes, {10, 9, 0, 0, 10, 77, 0, 9}},
                            {kOptClasslessRoutes, {16, 172, 20, 10, 77, 0, 7, 0, 10, 77, 0, 1}},
                            {kOptRenewalTime, {0, 0, 0, 5}}}));
    CPPUNIT_ASSERT_EQUAL(std::string(R"("routes":[{"dst":"172.20.0.0/16","gw":"10.77.0.7"},)"
                                     R"({"dst":"0.0.0.0/0","gw":"10.77.0.1"}])"),
                         routesOf(l));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t{5}, l.renewSeconds);
    Message noMask = ack({});
    noMask.options.erase(noMask.options.begin() + 2);
    CPPUNIT_ASSERT_EQUAL(std::string("DHCP option Subnet Mask not found in DHCPACK"),
                         failure([&] { Lease::fromAck(noMask); }));
  }

  void configuration() {
    const Config c = parseConfig(
        request(R"({"type":"dhcp","request":[{"option":"121"}],"provide":[{"option":"host-name",)"
                R"("fromArg":"K8S_POD_NAME"},{"option":"60","value":"rkt"}],"timeout":"3s"})",
                "K8S_POD_NAME=web;IgnoreUnknown=1"));
    CPPUNIT_ASSERT_EQUAL(std::string("c1/dnet/eth0"), c.clientId);
    CPPUNIT_ASSERT(c.request == std::vector<std::uint8_t>({121, kOptRouter, kOptSubnetMask}));
    CPPUNIT_ASSERT(c.provide.at(kOptHostName) == Bytes({'w', 'e', 'b'}));
    CPPUNIT_ASSERT(c.provide.at(60) == Bytes({'r', 'k', 't'}));
    CPPUNIT_ASSERT_EQUAL(3, c.timeoutSeconds);
    CPPUNIT_ASSERT_EQUAL(std::string("dnet/c1+eth0.json"), stateFileName(c));
    const Config skip = parseConfig(
        request(R"({"type":"dhcp","request":[{"option":"subnet-mask","skipDefault":true}]})"));
    CPPUNIT_ASSERT(skip.request == std::vector<std::uint8_t>({kOptSubnetMask}));
    CPPUNIT_ASSERT_EQUAL(
        std::string("Can not parse option \"999\": not a known name or a number "
                    "0-255"),
        failure([] { parseConfig(request(R"({"type":"dhcp","request":[{"option":"999"}]})")); }));
    CPPUNIT_ASSERT_EQUAL(
        std::string("dhcp: invalid timeout `soon`: a duration such as \"10s\" "
                    "between 1s and 24h"),
        failure([] { parseConfig(request(R"({"type":"dhcp","timeout":"soon"})")); }));
    pc::Request bad = request(R"({"type":"dhcp"})");
    bad.containerId = "../x";
    CPPUNIT_ASSERT_EQUAL(std::string("dhcp: invalid container id \"../x\""),
                         failure([&] { parseConfig(bad); }));
  }

  void backoffAsTheReference() {
    Backoff b(62);
    int tries = 0;
    int longest = 0;
    while (auto d = b.nextDelayMs()) {
      ++tries;
      longest = std::max(longest, *d);
    }
    // 4 fast (2 s), then 4, 8, 16, 32, 64 s (±1 s).
    CPPUNIT_ASSERT_EQUAL(9, tries);
    CPPUNIT_ASSERT(longest >= 63000 && longest <= 65000);
  }

 private:
  static std::string routesOf(const Lease& l) {
    const std::string json = rkt::protocol::encode(l.result("1.0.0"));
    const auto start = json.find("\"routes\"");
    return json.substr(start, json.find("]", start) + 1 - start);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DhcpMessageTest);
