// The `paths` kind in paths.d, including our "plugins" extension.
#include <cppunit/extensions/HelperMacros.h>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::readConfigDir;
using rkt::test::loadError;
using rkt::test::TempTree;

namespace {

std::string paths(const std::string& fields) {
  return R"({"rktKind":"paths","rktVersion":"v1")" + (fields.empty() ? "" : "," + fields) + "}";
}

}  // namespace

class ConfigPathsKindTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigPathsKindTest);
  CPPUNIT_TEST(allFields);
  CPPUNIT_TEST(fieldsAreOptional);
  CPPUNIT_TEST(fieldsMayComeFromDifferentFiles);
  CPPUNIT_TEST(relativePathsAreErrors);
  CPPUNIT_TEST(eachFieldOncePerDir);
  CPPUNIT_TEST(nonStringIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void allFields() {
    TempTree t;
    t.write("c/paths.d/paths.json",
            paths(R"("data":"/home/me/rkt/data","stage1-images":"/home/me/rkt/stage1-images",)"
                  R"("plugins":"/opt/rkt/plugins")"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/home/me/rkt/data"), r->paths.data);
    CPPUNIT_ASSERT_EQUAL(std::string("/home/me/rkt/stage1-images"), r->paths.stage1Images);
    CPPUNIT_ASSERT_EQUAL(std::string("/opt/rkt/plugins"), r->paths.plugins);
  }

  void fieldsAreOptional() {
    TempTree t;
    t.write("c/paths.d/a.json", paths(""));
    t.write("c/paths.d/b.json", paths(R"("data":"","plugins":null)"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->paths.data.empty());
    CPPUNIT_ASSERT(r->paths.stage1Images.empty());
    CPPUNIT_ASSERT(r->paths.plugins.empty());
  }

  void fieldsMayComeFromDifferentFiles() {
    TempTree t;
    t.write("c/paths.d/data.json", paths(R"("data":"/d")"));
    t.write("c/paths.d/stage1.json", paths(R"("stage1-images":"/s")"));
    t.write("c/paths.d/plugins.json", paths(R"("plugins":"/p")"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/d"), r->paths.data);
    CPPUNIT_ASSERT_EQUAL(std::string("/s"), r->paths.stage1Images);
    CPPUNIT_ASSERT_EQUAL(std::string("/p"), r->paths.plugins);
  }

  void relativePathsAreErrors() {
    const struct {
      const char* field;
      const char* what;
    } cases[] = {{"data", "data directory"},
                 {"stage1-images", "stage1 images directory"},
                 {"plugins", "plugins directory"}};
    for (const auto& c : cases) {
      TempTree t;
      const std::string f =
          t.write("c/paths.d/p.json", paths("\"" + std::string(c.field) + "\":\"rel/dir\""));
      CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + f + "\": " + c.what +
                                       " \"rel/dir\" must be an absolute path"),
                           loadError(readConfigDir(t.path("c"))));
    }
  }

  void eachFieldOncePerDir() {
    const struct {
      const char* field;
      const char* what;
    } cases[] = {{"data", "data directory"},
                 {"stage1-images", "stage1 images directory"},
                 {"plugins", "plugins directory"}};
    for (const auto& c : cases) {
      TempTree t;
      const std::string first =
          t.write("c/paths.d/a.json", paths("\"" + std::string(c.field) + "\":\"/one\""));
      const std::string second =
          t.write("c/paths.d/b.json", paths("\"" + std::string(c.field) + "\":\"/two\""));
      CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + second + "\": " + c.what +
                                       " is already specified in \"" + first + "\""),
                           loadError(readConfigDir(t.path("c"))));
    }
  }

  void nonStringIsAnError() {
    TempTree t;
    const std::string f = t.write("c/paths.d/p.json", paths(R"("data":["/d"])"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid configuration in \"" + f + "\": \"data\" must be a string"),
        loadError(readConfigDir(t.path("c"))));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigPathsKindTest);
