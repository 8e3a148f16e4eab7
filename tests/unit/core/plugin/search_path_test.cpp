// Search path precedence: RKT_PLUGIN_PATH, paths.d, then the plugin directory found relative to
// the executable. No absolute install directory is compiled in (issue 11: a tree built for
// /usr/local and installed under /usr searched /usr/local/lib/rkt/plugins).
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
  CPPUNIT_TEST(layoutIsRelative);
  CPPUNIT_TEST_SUITE_END();

 public:
  void ordersSourcesByPrecedence() {
    SearchPathSources s;
    s.envPath = "/env/a:/env/b";
    s.configDir = "/etc/plugins";
    s.executableDir = "/opt/rkt/bin";
    Dirs expected{"/env/a", "/env/b", "/etc/plugins", "/opt/rkt/" RKT_PLUGIN_SUBDIR};
    CPPUNIT_ASSERT(expected == buildSearchPath(s));
  }

  void dropsEmptyEntriesAndDuplicates() {
    SearchPathSources s;
    s.envPath = ":/a::/b/:/a/:/usr/" RKT_PLUGIN_SUBDIR;
    s.executableDir = "/usr/bin/";  // <exe>/../<subdir> is the env entry: listed once
    Dirs expected{"/a", "/b", "/usr/" RKT_PLUGIN_SUBDIR};
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
    // The unit test binary lives in <build>/bin, like rkt: its plugin dir is <build>/lib/...,
    // and nothing else (no compiled-in install directory) follows.
    auto exe = std::filesystem::canonical("/proc/self/exe");
    auto besideExe = (exe.parent_path().parent_path() / RKT_PLUGIN_SUBDIR).lexically_normal();
    Dirs expected{"/from/env", "/from/config", besideExe.string()};
    CPPUNIT_ASSERT(expected == dirs);
  }

  void layoutIsRelative() {
    // RKT_PLUGIN_SUBDIR is <pkglibdir>/plugins below the prefix, never an absolute directory.
    const std::string subdir = RKT_PLUGIN_SUBDIR;
    CPPUNIT_ASSERT(!subdir.empty() && subdir.front() != '/');
    CPPUNIT_ASSERT_EQUAL(std::string(RKT_PKGLIBDIR) + "/plugins", subdir);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginSearchPathTest);
