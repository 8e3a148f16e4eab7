// What `rkt plugins list` derives from a report: shown name, kinds, and the JSON form.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "rkt/core/plugin/report.hpp"

using namespace rkt::plugin;

namespace {

PluginReport loadedReport() {
  PluginReport r;
  r.path = "/p/fetcher-good.so";
  r.fileKind = "fetcher";
  r.fileName = "good";
  r.haveAbi = r.haveDescriptor = true;
  r.abiMajor = 1;
  r.abiMinor = 0;
  r.name = "good";
  r.version = "2.3.4";
  r.description = "a \"quoted\" description";
  r.license = "MIT";
  r.factories = {{RKT_KIND_STORE, "good"}, {RKT_KIND_FETCHER, "good"}, {RKT_KIND_STORE, "x"}};
  return r;
}

PluginReport refusedReport() {
  PluginReport r;
  r.path = "/p/gadget-thing.so";
  r.refusal = Refusal::BadFileName;
  r.message = "file name `gadget-thing.so` is not <kind>-<name>.so";
  return r;
}

Poco::JSON::Array::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Array::Ptr>();
}

}  // namespace

class PluginReportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginReportTest);
  CPPUNIT_TEST(namesFallBackToTheFile);
  CPPUNIT_TEST(kindsComeFromRegistrationsOrFileName);
  CPPUNIT_TEST(jsonDescribesEachReport);
  CPPUNIT_TEST(prettyJsonIsTabIndented);
  CPPUNIT_TEST_SUITE_END();

 public:
  void namesFallBackToTheFile() {
    CPPUNIT_ASSERT_EQUAL(std::string("good"), displayName(loadedReport()));
    PluginReport r = refusedReport();
    CPPUNIT_ASSERT_EQUAL(std::string("gadget-thing.so"), displayName(r));
    r.fileName = "thing";
    CPPUNIT_ASSERT_EQUAL(std::string("thing"), displayName(r));
  }

  void kindsComeFromRegistrationsOrFileName() {
    CPPUNIT_ASSERT(std::vector<std::string>({"fetcher", "store"}) == displayKinds(loadedReport()));
    PluginReport r = refusedReport();
    CPPUNIT_ASSERT(displayKinds(r).empty());
    r.fileKind = "net";
    CPPUNIT_ASSERT(std::vector<std::string>({"net"}) == displayKinds(r));
  }

  void jsonDescribesEachReport() {
    auto array = parse(reportsToJson({loadedReport(), refusedReport()}, false));
    CPPUNIT_ASSERT_EQUAL(size_t(2), array->size());
    auto loaded = array->getObject(0);
    CPPUNIT_ASSERT_EQUAL(std::string("/p/fetcher-good.so"), loaded->getValue<std::string>("path"));
    CPPUNIT_ASSERT_EQUAL(std::string("loaded"), loaded->getValue<std::string>("status"));
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), loaded->getValue<std::string>("abi"));
    CPPUNIT_ASSERT_EQUAL(std::string("a \"quoted\" description"),
                         loaded->getValue<std::string>("description"));
    CPPUNIT_ASSERT(loaded->isNull("sdk_build"));
    CPPUNIT_ASSERT(!loaded->has("reason"));
    CPPUNIT_ASSERT_EQUAL(size_t(3), loaded->getArray("factories")->size());
    CPPUNIT_ASSERT_EQUAL(
        std::string("store"),
        loaded->getArray("factories")->getObject(0)->getValue<std::string>("kind"));
    CPPUNIT_ASSERT_EQUAL(size_t(2), loaded->getArray("kinds")->size());

    auto refused = array->getObject(1);
    CPPUNIT_ASSERT_EQUAL(std::string("refused"), refused->getValue<std::string>("status"));
    CPPUNIT_ASSERT_EQUAL(std::string("bad-file-name"), refused->getValue<std::string>("reason"));
    CPPUNIT_ASSERT_EQUAL(refusedReport().message, refused->getValue<std::string>("message"));
    CPPUNIT_ASSERT(refused->isNull("abi"));
    CPPUNIT_ASSERT(refused->isNull("version"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), refused->getArray("kinds")->size());
    CPPUNIT_ASSERT_EQUAL(std::string("[]"), reportsToJson({}, false));
  }

  void prettyJsonIsTabIndented() {
    std::string pretty = reportsToJson({refusedReport()}, true);
    CPPUNIT_ASSERT(pretty.find("[\n\t{\n\t\t\"path\": \"/p/gadget-thing.so\",\n") == 0);
    CPPUNIT_ASSERT_EQUAL(size_t(1), parse(pretty)->size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginReportTest);
