// The nftables batches rkt_support_netfilter runs, built without a kernel: names as the
// reference plugins and rkt name them, the rules' shapes, refusals, and finding a container's
// tables in `nft -j list tables` output (what gc relies on).
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "rkt/support/netfilter/rules.hpp"

namespace nf = rkt::netfilter;

namespace {

const std::string kCid = "0f4d3a7e-1b2c-4d5e-8f90-123456789abc";

/// The batch's commands: [{"verb": {"kind": {...}}}, ...] flattened to "verb kind" strings.
std::vector<std::string> verbs(const std::string& batch) {
  Poco::JSON::Parser p;
  auto root = p.parse(batch).extract<Poco::JSON::Object::Ptr>();
  std::vector<std::string> out;
  auto cmds = root->getArray("nftables");
  for (size_t i = 0; i < cmds->size(); ++i) {
    auto cmd = cmds->getObject(static_cast<unsigned>(i));
    const std::string verb = cmd->begin()->first;
    auto inner = cmd->getObject(verb);
    out.push_back(verb + " " + inner->begin()->first);
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

class NetfilterRulesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NetfilterRulesTest);
  CPPUNIT_TEST(namesFollowTheReferencePluginsAndRkt);
  CPPUNIT_TEST(masqueradeReplacesTheTableAtomically);
  CPPUNIT_TEST(masqueradeRulesAreTheReferenceIpMasq);
  CPPUNIT_TEST(masqueradeOfIpv6ExcludesIpv6Multicast);
  CPPUNIT_TEST(portForwardingRulesAreRkts);
  CPPUNIT_TEST(badInputIsRefusedWithOneLine);
  CPPUNIT_TEST(containerTablesAreFoundByNameOnly);
  CPPUNIT_TEST(removalIsIdempotent);
  CPPUNIT_TEST_SUITE_END();

 public:
  void namesFollowTheReferencePluginsAndRkt() {
    // cni-notes §4.2: Debian's ptp 1.1.1 named this chain for ("cnitest-ptp", "ctr1").
    CPPUNIT_ASSERT_EQUAL(std::string("CNI-4202b199b4af3d0eb7fac86f"),
                         nf::cniChainName("cnitest-ptp", "ctr1"));
    CPPUNIT_ASSERT_EQUAL(std::string("name: cnitest-ptp id: ctr1"),
                         nf::ruleComment("cnitest-ptp", "ctr1"));
    CPPUNIT_ASSERT_EQUAL(std::string("name: a'b/c id: x"), nf::ruleComment("a\"b\\c", "x"));
    CPPUNIT_ASSERT_EQUAL(size_t(127), nf::ruleComment(std::string(200, 'n'), "x").size());
    CPPUNIT_ASSERT_EQUAL(std::string("RKT-PFWD-DNAT-0f4d3a7e"), nf::dnatChainName(kCid));
    CPPUNIT_ASSERT_EQUAL(std::string("RKT-PFWD-SNAT-0f4d3a7e"), nf::snatChainName(kCid));
    CPPUNIT_ASSERT(nf::portForwardTable(kCid) == (nf::OwnedTable{"ip", "rkt-pfwd-" + kCid}));
    const auto masq = nf::masqueradeTable("default", kCid);
    CPPUNIT_ASSERT_EQUAL(std::string("inet"), masq.family);
    CPPUNIT_ASSERT_EQUAL(std::string("rkt-masq-"), masq.name.substr(0, 9));
    CPPUNIT_ASSERT_EQUAL(std::string("-" + kCid), masq.name.substr(9 + 16));
    CPPUNIT_ASSERT(!(masq == nf::masqueradeTable("default-restricted", kCid)));
  }

  void masqueradeReplacesTheTableAtomically() {
    auto b = nf::masqueradeAddBatch({"default", kCid, {"172.16.28.2/24"}});
    CPPUNIT_ASSERT(b.ok());
    const std::vector<std::string> expected = {"add table", "delete table", "add table",
                                               "add chain", "add chain",    "add rule",
                                               "add rule",  "add rule"};
    CPPUNIT_ASSERT(verbs(*b) == expected);
  }

  void masqueradeRulesAreTheReferenceIpMasq() {
    auto b = nf::masqueradeAddBatch({"default", kCid, {"172.16.28.2/24"}});
    CPPUNIT_ASSERT(b.ok());
    const std::string chain = nf::cniChainName("default", kCid);
    const std::string table = nf::masqueradeTable("default", kCid).name;
    // The srcnat base chain.
    CPPUNIT_ASSERT(contains(*b, "{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"" + table +
                                    "\",\"name\":\"postrouting\",\"type\":\"nat\",\"hook\":"
                                    "\"postrouting\",\"prio\":100,\"policy\":\"accept\"}}}"));
    // -A POSTROUTING -s 172.16.28.2 -j CNI-…, with the rule comment.
    CPPUNIT_ASSERT(contains(
        *b,
        "\"chain\":\"postrouting\",\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"payload\":"
        "{\"protocol\":\"ip\",\"field\":\"saddr\"}},\"right\":\"172.16.28.2\"}},{\"counter\":"
        "{\"packets\":0,\"bytes\":0}},{\"jump\":{\"target\":\"" +
            chain + "\"}}],\"comment\":\"name: default id: " + kCid + "\""));
    // -A CNI-… -d 172.16.28.0/24 -j ACCEPT
    CPPUNIT_ASSERT(contains(*b,
                            "\"right\":{\"prefix\":{\"addr\":\"172.16.28.0\",\"len\":24}}}},"
                            "{\"counter\":{\"packets\":0,\"bytes\":0}},{\"accept\":null}]"));
    // -A CNI-… ! -d 224.0.0.0/4 -j MASQUERADE
    CPPUNIT_ASSERT(contains(*b,
                            "{\"op\":\"!=\",\"left\":{\"payload\":{\"protocol\":\"ip\","
                            "\"field\":\"daddr\"}},\"right\":{\"prefix\":{\"addr\":"
                            "\"224.0.0.0\",\"len\":4}}}},{\"counter\":{\"packets\":0,"
                            "\"bytes\":0}},{\"masquerade\":null}]"));
  }

  void masqueradeOfIpv6ExcludesIpv6Multicast() {
    auto b = nf::masqueradeAddBatch({"n", "c1", {"10.1.2.3/16", "fd00:0::5/64", "10.1.2.3/16"}});
    CPPUNIT_ASSERT(b.ok());
    CPPUNIT_ASSERT_EQUAL(size_t(5 + 6), verbs(*b).size());  // the duplicate address counts once
    CPPUNIT_ASSERT(contains(*b, "{\"prefix\":{\"addr\":\"10.1.0.0\",\"len\":16}}"));
    CPPUNIT_ASSERT(
        contains(*b, "\"protocol\":\"ip6\",\"field\":\"saddr\"}},\"right\":\"fd00::5\""));
    CPPUNIT_ASSERT(contains(*b, "{\"prefix\":{\"addr\":\"fd00::\",\"len\":64}}"));
    CPPUNIT_ASSERT(contains(*b, "{\"prefix\":{\"addr\":\"ff00::\",\"len\":8}}"));
  }

  void portForwardingRulesAreRkts() {
    nf::PortForwardSpec spec{kCid, "default", "172.16.28.2", {}};
    spec.ports.push_back({"tcp", "", 8080, 80});
    spec.ports.push_back({"udp", "192.168.1.5", 5353, 53});
    auto b = nf::portForwardAddBatch(spec);
    CPPUNIT_ASSERT(b.ok());
    // Table replaced, 3 base chains + 2 chains, 4 jumps, per port 1 DNAT + 2 masquerade rules.
    CPPUNIT_ASSERT_EQUAL(size_t(3 + 5 + 4 + 2 * 3), verbs(*b).size());
    for (const char* hook : {"prerouting", "output"}) {
      CPPUNIT_ASSERT(contains(*b, std::string("\"name\":\"") + hook +
                                      "\",\"type\":\"nat\",\"hook\":\"" + hook +
                                      "\",\"prio\":-100"));
      // -m addrtype --dst-type LOCAL -j RKT-PFWD-DNAT-…
      CPPUNIT_ASSERT(contains(*b, std::string("\"chain\":\"") + hook +
                                      "\",\"expr\":[{\"match\":{\"op\":\"==\",\"left\":{\"fib\":"
                                      "{\"result\":\"type\",\"flags\":[\"daddr\"]}},\"right\":"
                                      "\"local\"}}"));
    }
    // DNAT with and without the host IP.
    CPPUNIT_ASSERT(contains(*b,
                            "\"chain\":\"RKT-PFWD-DNAT-0f4d3a7e\",\"expr\":[{\"match\":{\"op\":"
                            "\"==\",\"left\":{\"payload\":{\"protocol\":\"tcp\",\"field\":"
                            "\"dport\"}},\"right\":8080}},{\"counter\":{\"packets\":0,"
                            "\"bytes\":0}},{\"dnat\":{\"addr\":\"172.16.28.2\",\"port\":80}}]"));
    CPPUNIT_ASSERT(contains(*b,
                            "\"chain\":\"RKT-PFWD-DNAT-0f4d3a7e\",\"expr\":[{\"match\":{\"op\":"
                            "\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":"
                            "\"daddr\"}},\"right\":\"192.168.1.5\"}},{\"match\":{\"op\":\"==\","
                            "\"left\":{\"payload\":{\"protocol\":\"udp\",\"field\":\"dport\"}},"
                            "\"right\":5353}}"));
    // -s 127.0.0.1 ! -d 127.0.0.1 -j RKT-PFWD-SNAT-…
    CPPUNIT_ASSERT(contains(*b,
                            "\"field\":\"saddr\"}},\"right\":\"127.0.0.1\"}},{\"match\":{\"op\":"
                            "\"!=\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":"
                            "\"daddr\"}},\"right\":\"127.0.0.1\"}},{\"counter\":{\"packets\":0,"
                            "\"bytes\":0}},{\"jump\":{\"target\":\"RKT-PFWD-SNAT-0f4d3a7e\"}}"));
    // -p tcp -s 127.0.0.1 -d <pod> --dport 80 -j MASQUERADE
    CPPUNIT_ASSERT(contains(*b,
                            "\"chain\":\"RKT-PFWD-SNAT-0f4d3a7e\",\"expr\":[{\"match\":{\"op\":"
                            "\"==\",\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":"
                            "\"saddr\"}},\"right\":\"127.0.0.1\"}},{\"match\":{\"op\":\"==\","
                            "\"left\":{\"payload\":{\"protocol\":\"ip\",\"field\":\"daddr\"}},"
                            "\"right\":\"172.16.28.2\"}},{\"match\":{\"op\":\"==\",\"left\":"
                            "{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},"
                            "\"right\":80}},{\"counter\":{\"packets\":0,\"bytes\":0}},"
                            "{\"masquerade\":null}]"));
  }

  void badInputIsRefusedWithOneLine() {
    auto msg = [](const rkt::Result<std::string>& r) {
      CPPUNIT_ASSERT(!r.ok());
      return r.error().message;
    };
    CPPUNIT_ASSERT_EQUAL(std::string("invalid container id `a b`: must match "
                                     "[a-zA-Z0-9][a-zA-Z0-9_.-]*"),
                         msg(nf::masqueradeAddBatch({"n", "a b", {"10.0.0.2/24"}})));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid container id `-x`: must match "
                                     "[a-zA-Z0-9][a-zA-Z0-9_.-]*"),
                         msg(nf::portForwardAddBatch({"-x", "n", "10.0.0.2", {}})));
    CPPUNIT_ASSERT(
        contains(msg(nf::masqueradeAddBatch({"n", std::string(300, 'a'), {"10.0.0.2/24"}})),
                 "longer than 229 characters"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid network name: empty"),
                         msg(nf::masqueradeAddBatch({"", "c", {"10.0.0.2/24"}})));
    CPPUNIT_ASSERT_EQUAL(std::string("cannot masquerade network `n`: no pod address"),
                         msg(nf::masqueradeAddBatch({"n", "c", {}})));
    for (const char* bad :
         {"10.0.0.2", "10.0.0.2/33", "10.0.0.2/", "x/24", "fd00::1/129", "10.0.0.2/2a"}) {
      CPPUNIT_ASSERT_EQUAL(
          std::string("invalid pod address `") + bad + "`: expected ADDRESS/PREFIX",
          msg(nf::masqueradeAddBatch({"n", "c", {bad}})));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("cannot forward ports to pod address `fd00::2`: not an IPv4 "
                                     "address"),
                         msg(nf::portForwardAddBatch({"c", "n", "fd00::2", {}})));
    nf::PortForwardSpec spec{"c", "n", "10.0.0.2", {{"sctp", "", 1, 2}}};
    CPPUNIT_ASSERT_EQUAL(std::string("invalid port protocol `sctp`: must be tcp or udp"),
                         msg(nf::portForwardAddBatch(spec)));
    spec.ports = {{"tcp", "", 0, 2}};
    CPPUNIT_ASSERT_EQUAL(std::string("invalid port mapping: ports must be 1-65535"),
                         msg(nf::portForwardAddBatch(spec)));
    spec.ports = {{"tcp", "host", 1, 2}};
    CPPUNIT_ASSERT_EQUAL(std::string("invalid host IP `host`: not an IPv4 address"),
                         msg(nf::portForwardAddBatch(spec)));
  }

  void containerTablesAreFoundByNameOnly() {
    const auto masqA = nf::masqueradeTable("default", kCid);
    const auto masqB = nf::masqueradeTable("other", kCid);
    const auto other = nf::masqueradeTable("default", kCid + "0");
    const std::string listed =
        "{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}},"
        "{\"table\": {\"family\": \"ip\", \"name\": \"nat\", \"handle\": 1}},"
        "{\"table\": {\"family\": \"inet\", \"name\": \"" +
        masqA.name +
        "\", \"handle\": 2}},"
        "{\"table\": {\"family\": \"ip\", \"name\": \"rkt-pfwd-" +
        kCid +
        "\", \"handle\": 3}},"
        "{\"table\": {\"family\": \"inet\", \"name\": \"" +
        other.name +
        "\", \"handle\": 4}},"
        "{\"table\": {\"family\": \"ip\", \"name\": \"" +
        masqB.name +
        "\", \"handle\": 5}},"
        "{\"table\": {\"family\": \"inet\", \"name\": \"" +
        masqB.name +
        "\", \"handle\": 6}},"
        "{\"table\": {\"family\": \"ip\", \"name\": \"rkt-pfwd-" +
        kCid + "0\", \"handle\": 7}}]}";
    auto found = nf::tablesOfContainer(listed, kCid);
    CPPUNIT_ASSERT(found.ok());
    const std::vector<nf::OwnedTable> expected = {masqA, nf::portForwardTable(kCid), masqB};
    CPPUNIT_ASSERT(*found == expected);
    CPPUNIT_ASSERT(!nf::tablesOfContainer("not json", kCid).ok());
  }

  void removalIsIdempotent() {
    // "add" of an existing table is a no-op, so "add, delete" never fails on an absent table.
    const auto t = nf::portForwardTable(kCid);
    CPPUNIT_ASSERT((verbs(nf::removeTablesBatch({t})) ==
                    std::vector<std::string>{"add table", "delete table"}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NetfilterRulesTest);
