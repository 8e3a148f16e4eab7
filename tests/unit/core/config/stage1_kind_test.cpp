// The `stage1` kind in stage1.d.
#include <cppunit/extensions/HelperMacros.h>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::readConfigDir;
using rkt::test::loadError;
using rkt::test::TempTree;

namespace {

std::string stage1(const std::string& fields) {
  return R"({"rktKind":"stage1","rktVersion":"v1")" + (fields.empty() ? "" : "," + fields) + "}";
}

}  // namespace

class ConfigStage1KindTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigStage1KindTest);
  CPPUNIT_TEST(allFields);
  CPPUNIT_TEST(nameWithoutVersion);
  CPPUNIT_TEST(versionWithoutName);
  CPPUNIT_TEST(locationOnly);
  CPPUNIT_TEST(acceptedLocations);
  CPPUNIT_TEST(relativeLocation);
  CPPUNIT_TEST(unsupportedScheme);
  CPPUNIT_TEST(nameAndVersionOncePerDir);
  CPPUNIT_TEST(locationOncePerDir);
  CPPUNIT_TEST(nameAndLocationFromDifferentFiles);
  CPPUNIT_TEST_SUITE_END();

 public:
  void allFields() {
    TempTree t;
    t.write("c/stage1.d/s.json",
            stage1(R"("name":"example.com/rkt/stage1","version":"1.2.3",)"
                   R"("location":"https://example.com/download/stage1-1.2.3.aci")"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/rkt/stage1"), r->stage1.name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), r->stage1.version);
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/download/stage1-1.2.3.aci"),
                         r->stage1.location);
  }

  void nameWithoutVersion() {
    TempTree t;
    const std::string f = t.write("c/stage1.d/s.json", stage1(R"("name":"example.com/s1")"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + f +
                                     "\": stage1 image name \"example.com/s1\" is specified "
                                     "without a version"),
                         loadError(readConfigDir(t.path("c"))));
  }

  void versionWithoutName() {
    TempTree t;
    const std::string f = t.write("c/stage1.d/s.json", stage1(R"("version":"1.0","name":"")"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + f +
                                     "\": stage1 image version \"1.0\" is specified without a "
                                     "name"),
                         loadError(readConfigDir(t.path("c"))));
  }

  void locationOnly() {
    TempTree t;
    t.write("c/stage1.d/s.json", stage1(R"("location":"/usr/libexec/rkt/stage1.aci")"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->stage1.name.empty());
    CPPUNIT_ASSERT(r->stage1.version.empty());
    CPPUNIT_ASSERT_EQUAL(std::string("/usr/libexec/rkt/stage1.aci"), r->stage1.location);
  }

  void acceptedLocations() {
    for (const char* location :
         {"/abs/stage1.aci", "file:///abs/stage1.aci", "http://example.com/s.aci",
          "https://example.com/s.aci", "docker://quay.io/some/stage1", "HTTPS://example.com/s"}) {
      TempTree t;
      t.write("c/stage1.d/s.json", stage1("\"location\":\"" + std::string(location) + "\""));
      auto r = readConfigDir(t.path("c"));
      CPPUNIT_ASSERT_MESSAGE(std::string(location) + ": " + loadError(r), r.ok());
      CPPUNIT_ASSERT_EQUAL(std::string(location), r->stage1.location);
    }
  }

  void relativeLocation() {
    for (const char* location : {"stage1.aci", "./stage1.aci", "example.com/s.aci"}) {
      TempTree t;
      const std::string f =
          t.write("c/stage1.d/s.json", stage1("\"location\":\"" + std::string(location) + "\""));
      CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + f +
                                       "\": stage1 image location \"" + location +
                                       "\" is not an absolute path (expected an absolute path "
                                       "or a file, docker, http or https URL)"),
                           loadError(readConfigDir(t.path("c"))));
    }
  }

  void unsupportedScheme() {
    TempTree t;
    const std::string f =
        t.write("c/stage1.d/s.json", stage1(R"("location":"ftp://example.com/s.aci")"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + f +
                                     "\": stage1 image location \"ftp://example.com/s.aci\" has "
                                     "unsupported scheme \"ftp\" (expected an absolute path or a "
                                     "file, docker, http or https URL)"),
                         loadError(readConfigDir(t.path("c"))));
  }

  void nameAndVersionOncePerDir() {
    TempTree t;
    const std::string first = t.write("c/stage1.d/a.json", stage1(R"("name":"a","version":"1")"));
    const std::string second = t.write("c/stage1.d/b.json", stage1(R"("name":"b","version":"2")"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + second +
                                     "\": stage1 image name and version are already specified "
                                     "in \"" +
                                     first + "\""),
                         loadError(readConfigDir(t.path("c"))));
  }

  void locationOncePerDir() {
    TempTree t;
    const std::string first = t.write("c/stage1.d/a.json", stage1(R"("location":"/a.aci")"));
    const std::string second = t.write("c/stage1.d/b.json", stage1(R"("location":"/b.aci")"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid configuration in \"" + second +
                    "\": stage1 image location is already specified in \"" + first + "\""),
        loadError(readConfigDir(t.path("c"))));
  }

  void nameAndLocationFromDifferentFiles() {
    TempTree t;
    t.write("c/stage1.d/a.json", stage1(R"("name":"n","version":"v")"));
    t.write("c/stage1.d/b.json", stage1(R"("location":"docker://s1")"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("n"), r->stage1.name);
    CPPUNIT_ASSERT_EQUAL(std::string("v"), r->stage1.version);
    CPPUNIT_ASSERT_EQUAL(std::string("docker://s1"), r->stage1.location);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigStage1KindTest);
