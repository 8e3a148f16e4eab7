// Choosing the data directory: --dir, else paths "data", else /var/lib/rkt.
#include <cppunit/extensions/HelperMacros.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::Config;
using rkt::config::resolveDataDir;
using rkt::test::TempTree;

namespace {

std::string realPath(const std::string& p) {
  char* r = ::realpath(p.c_str(), nullptr);
  std::string out = r ? r : "";
  ::free(r);
  return out;
}

std::string valueOrError(const rkt::Result<std::string>& r) {
  return r ? *r : "error: " + r.error().message;
}

}  // namespace

class ConfigDataDirTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigDataDirTest);
  CPPUNIT_TEST(explicitFlagWins);
  CPPUNIT_TEST(configuredDataDirWithoutFlag);
  CPPUNIT_TEST(defaultWithoutEither);
  CPPUNIT_TEST(emptyFlagIsAnError);
  CPPUNIT_TEST(relativeFlagIsMadeAbsolute);
  CPPUNIT_TEST(symlinksAreResolved);
  CPPUNIT_TEST(missingDirIsKeptAsNamed);
  CPPUNIT_TEST_SUITE_END();

 public:
  void explicitFlagWins() {
    TempTree t;
    Config c;
    c.paths.data = t.mkdir("configured");
    const std::string flag = t.mkdir("flag");
    CPPUNIT_ASSERT_EQUAL(realPath(flag), valueOrError(resolveDataDir(c, flag)));
  }

  void configuredDataDirWithoutFlag() {
    TempTree t;
    Config c;
    c.paths.data = t.mkdir("configured");
    CPPUNIT_ASSERT_EQUAL(realPath(c.paths.data), valueOrError(resolveDataDir(c, std::nullopt)));
  }

  void defaultWithoutEither() {
    const std::string expected =
        std::filesystem::weakly_canonical(rkt::config::kDefaultDataDir).string();
    CPPUNIT_ASSERT_EQUAL(expected, valueOrError(resolveDataDir(Config{}, std::nullopt)));
  }

  void emptyFlagIsAnError() {
    Config c;
    c.paths.data = "/configured";
    auto r = resolveDataDir(c, std::string());
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("data directory (--dir) must not be empty"),
                         r.error().message);
  }

  void relativeFlagIsMadeAbsolute() {
    TempTree t;
    t.mkdir("cwd/data");
    const std::string before = std::filesystem::current_path().string();
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(t.path("cwd").c_str()));
    auto r = resolveDataDir(Config{}, std::string("data"));
    auto missing = resolveDataDir(Config{}, std::string("./not-yet/"));
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(before.c_str()));
    CPPUNIT_ASSERT_EQUAL(realPath(t.path("cwd/data")), valueOrError(r));
    CPPUNIT_ASSERT_EQUAL(realPath(t.path("cwd")) + "/not-yet", valueOrError(missing));
  }

  void symlinksAreResolved() {
    TempTree t;
    const std::string real = t.mkdir("real");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(real.c_str(), t.path("link").c_str()));
    Config c;
    c.paths.data = t.path("link");
    CPPUNIT_ASSERT_EQUAL(realPath(real), valueOrError(resolveDataDir(c, std::nullopt)));
  }

  void missingDirIsKeptAsNamed() {
    TempTree t;
    const std::string root = realPath(t.path());
    CPPUNIT_ASSERT_EQUAL(root + "/missing/sub",
                         valueOrError(resolveDataDir(Config{}, root + "/missing/../missing/sub/")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigDataDirTest);
