// Search path precedence: RKT_PLUGIN_PATH, paths.d, next to the executable, install dir.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <filesystem>

#include "rkt/core/plugin/search_path.hpp"

using rkt::plugin::buildSearchPath;
using rkt::plugin::SearchPathSources;
using Dirs = std::vector<std::string>;

class PluginSearchPathTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PluginSearchPathTest);
  CPPUNIT_TEST(ordersSourcesByPrecedence);
  CPPUNIT_TEST(dropsEmptyEntriesAndDuplicates);
  CPPUNIT_TEST(makesRelativeEntriesAbsolute);
  CPPUNIT_TEST(defaultReadsEnvironmentAndExecutable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void ordersSourcesByPrecedence() {
    SearchPathSources s;
    s.envPath = "/env/a:/env/b";
    s.configDir = "/etc/plugins";
    s.executableDir = "/opt/rkt/bin";
    s.installDir = "/usr/lib/rkt/plugins";
    Dirs expected{"/env/a", "/env/b", "/etc/plugins", "/opt/rkt/lib/rkt/plugins",
                  "/usr/lib/rkt/plugins"};
    CPPUNIT_ASSERT(expected == buildSearchPath(s));
  }

  void dropsEmptyEntriesAndDuplicates() {
    SearchPathSources s;
    s.envPath = ":/a::/b/:/a/";
    s.executableDir = "/usr/bin";
    s.installDir = "/usr/lib/rkt/plugins";  // == <exe>/../lib/rkt/plugins when installed
    Dirs expected{"/a", "/b", "/usr/lib/rkt/plugins"};
    CPPUNIT_ASSERT(expected == buildSearchPath(s));
    CPPUNIT_ASSERT(buildSearchPath(SearchPathSources{}).empty());
  }

  void makesRelativeEntriesAbsolute() {
    SearchPathSources s;
    s.envPath = "rel/dir";
    auto dirs = buildSearchPath(s);
    CPPUNIT_ASSERT_EQUAL(size_t(1), dirs.size());
    CPPUNIT_ASSERT_EQUAL((std::filesystem::current_path() / "rel/dir").string(), dirs[0]);
  }

  void defaultReadsEnvironmentAndExecutable() {
    const char* old = std::getenv("RKT_PLUGIN_PATH");
    std::string saved = old != nullptr ? old : "";
    ::setenv("RKT_PLUGIN_PATH", "/from/env", 1);
    auto dirs = rkt::plugin::defaultSearchPath("/from/config");
    if (old != nullptr) {
      ::setenv("RKT_PLUGIN_PATH", saved.c_str(), 1);
    } else {
      ::unsetenv("RKT_PLUGIN_PATH");
    }
    CPPUNIT_ASSERT(dirs.size() >= 3);
    CPPUNIT_ASSERT_EQUAL(std::string("/from/env"), dirs[0]);
    CPPUNIT_ASSERT_EQUAL(std::string("/from/config"), dirs[1]);
    // The unit test binary lives in <build>/bin, like rkt: its plugin dir is <build>/lib/...
    auto exe = std::filesystem::canonical("/proc/self/exe");
    auto besideExe = (exe.parent_path().parent_path() / RKT_PLUGIN_SUBDIR).lexically_normal();
    CPPUNIT_ASSERT_EQUAL(besideExe.string(), dirs[2]);
    CPPUNIT_ASSERT_EQUAL(std::string(RKT_INSTALL_PLUGIN_DIR), dirs.back());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginSearchPathTest);
