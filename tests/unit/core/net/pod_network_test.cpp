// `--net` (rkt's grammar and errors) and the loading of the pod's networks (built-ins, net.d
// overrides, order by file name, rkt's warnings and errors): rkt-notes §5.1–5.3.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "rkt/core/net/pod_network.hpp"
#include "rkt/support/posix/remove_tree.hpp"

using rkt::net::NetSelection;

class PodNetworkTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodNetworkTest);
  CPPUNIT_TEST(parsesRktsNetGrammar);
  CPPUNIT_TEST(refusesWhatRktRefuses);
  CPPUNIT_TEST(loadsBuiltinsAndNetD);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesRktsNetGrammar() {
    auto d = rkt::net::parseNetSelection({""});
    CPPUNIT_ASSERT(d.ok());
    CPPUNIT_ASSERT(d->mode == NetSelection::Mode::kContained);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, d->entries.size());
    CPPUNIT_ASSERT_EQUAL(std::string("default"), d->entries[0].name);
    auto two = rkt::net::parseNetSelection({"default,n1:IP=10.1.2.3;K=V", "n2"});
    CPPUNIT_ASSERT(two.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, two->entries.size());
    CPPUNIT_ASSERT_EQUAL(std::string("IP=10.1.2.3;K=V"), two->entries[1].args);
    CPPUNIT_ASSERT(rkt::net::parseNetSelection({"host"})->mode == NetSelection::Mode::kHost);
    CPPUNIT_ASSERT(rkt::net::parseNetSelection({"none"})->mode == NetSelection::Mode::kNone);
    CPPUNIT_ASSERT(rkt::net::parseNetSelection({"all"})->all);
  }

  void refusesWhatRktRefuses() {
    const auto message = [](const std::string& v) {
      auto r = rkt::net::parseNetSelection({v});
      return r.ok() ? std::string("accepted") : r.error().message;
    };
    CPPUNIT_ASSERT_EQUAL(std::string("found duplicate network name \"a\""), message("a,b,a"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid --net value \"a,\": network name cannot be empty"),
                         message("a,"));
    CPPUNIT_ASSERT_EQUAL(std::string("network \"host\" does not take arguments"),
                         message("host:IP=1"));
    CPPUNIT_ASSERT_EQUAL(std::string("network \"all\" does not take arguments"), message("all:x"));
    CPPUNIT_ASSERT_EQUAL(std::string("--net=host cannot be combined with other networks"),
                         message("host,default"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid --net entry \"a:b:c\": too many colons"),
                         message("a:b:c"));
  }

  void loadsBuiltinsAndNetD() {
    char tmpl[] = "/tmp/rkt-netd.XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    const std::string dir = tmpl;
    ::mkdir((dir + "/net.d").c_str(), 0755);
    std::ofstream(dir + "/net.d/10-a.conf") << R"({"name":"a","type":"ptp"})";
    std::ofstream(dir + "/net.d/20-a.conf") << R"({"name":"a","type":"bridge"})";
    std::ofstream(dir + "/net.d/50-default.conf") << R"({"name":"default","type":"bridge"})";
    std::ofstream(dir + "/net.d/30-b.json") << R"({"name":"b"})";
    std::vector<std::string> warnings;
    const auto warn = [&](const std::string& w) { warnings.push_back(w); };

    auto nets = rkt::net::loadNetworks(*rkt::net::parseNetSelection({"default,a:X=1"}), dir, warn);
    CPPUNIT_ASSERT_MESSAGE(nets ? "" : nets.error().message, nets.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, nets->size());
    CPPUNIT_ASSERT_EQUAL(std::string("10-a.conf"), (*nets)[0].confFile);  // eth0: file order
    CPPUNIT_ASSERT_EQUAL(std::string("X=1"), (*nets)[0].args);
    CPPUNIT_ASSERT_EQUAL(std::string("50-default.conf"), (*nets)[1].confFile);
    CPPUNIT_ASSERT_EQUAL(
        std::string("\"a\" network already defined, ignoring " + dir + "/net.d/20-a.conf"),
        warnings.at(0));
    CPPUNIT_ASSERT_EQUAL(
        std::string("overriding \"default\" network with one from " + dir + "/net.d"),
        warnings.at(1));

    auto all = rkt::net::loadNetworks(*rkt::net::parseNetSelection({"all"}), dir, warn);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, all->size());  // a, default (user), default-restricted
    CPPUNIT_ASSERT_EQUAL(std::string("99-default-restricted.conf"), (*all)[2].confFile);

    auto missing = rkt::net::loadNetworks(*rkt::net::parseNetSelection({"x,default,y"}), dir, warn);
    CPPUNIT_ASSERT_EQUAL(std::string("networks not found: x, y"), missing.error().message);
    std::ofstream(dir + "/net.d/05-bad.conf") << "{not json";
    auto bad = rkt::net::loadNetworks(*rkt::net::parseNetSelection({"a"}), dir, warn);
    CPPUNIT_ASSERT(!bad.ok());
    CPPUNIT_ASSERT(bad.error().message.find("error loading " + dir + "/net.d/05-bad.conf") == 0);
    (void)rkt::posix::removeTree(dir);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodNetworkTest);
