#include <cppunit/extensions/HelperMacros.h>

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

#include "flags.hpp"
#include "global_options.hpp"

using namespace rkt::cli;

class GlobalOptionsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(GlobalOptionsTest);
  CPPUNIT_TEST(absoluteDirCleansPaths);
  CPPUNIT_TEST(absoluteDirResolvesSymlinksOnlyWhenAsked);
  CPPUNIT_TEST(absoluteDirRejectsEmpty);
  CPPUNIT_TEST(flagsFillTheStruct);
  CPPUNIT_TEST(flagsAreInTheGlobalGroup);
  CPPUNIT_TEST(stallTimeoutIsAPositiveDuration);
  CPPUNIT_TEST_SUITE_END();

  std::string tmp_;

  static std::string parse(CLI::App& app, std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());
    try {
      app.parse(args);
    } catch (const CLI::ParseError& e) {
      return e.what();
    }
    return "";
  }

 public:
  void setUp() override {
    char templ[] = "/tmp/rkt-globalopts.XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(templ) != nullptr);
    char real[PATH_MAX];
    CPPUNIT_ASSERT(::realpath(templ, real) != nullptr);
    tmp_ = real;
  }
  void tearDown() override {
    ::unlink((tmp_ + "/link").c_str());
    ::rmdir((tmp_ + "/target").c_str());
    ::rmdir(tmp_.c_str());
  }

  void absoluteDirCleansPaths() {
    CPPUNIT_ASSERT_EQUAL(std::string("/a/c"), *absoluteDir("/a/b/../c/./", false));
    CPPUNIT_ASSERT_EQUAL(std::string("/"), *absoluteDir("/", false));
    char cwd[PATH_MAX];
    CPPUNIT_ASSERT(::getcwd(cwd, sizeof cwd) != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string(cwd) + "/x", *absoluteDir("x", false));
  }

  void absoluteDirResolvesSymlinksOnlyWhenAsked() {
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir((tmp_ + "/target").c_str(), 0700));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("target", (tmp_ + "/link").c_str()));
    CPPUNIT_ASSERT_EQUAL(tmp_ + "/target", *absoluteDir(tmp_ + "/link", true));
    CPPUNIT_ASSERT_EQUAL(tmp_ + "/link", *absoluteDir(tmp_ + "/link", false));
    // A path that does not exist (yet) is kept as it is.
    CPPUNIT_ASSERT_EQUAL(tmp_ + "/missing/x", *absoluteDir(tmp_ + "/missing/x", true));
  }

  void absoluteDirRejectsEmpty() { CPPUNIT_ASSERT(!absoluteDir("", true).ok()); }

  void flagsFillTheStruct() {
    CLI::App app;
    GlobalOptions g;
    addGlobalFlags(app, g);
    CPPUNIT_ASSERT_EQUAL(
        std::string(),
        parse(app, {"--debug", "--dir=/d/../data", "--system-config", "/s", "--local-config=/l",
                    "--user-config=/u", "--insecure-options=all-run",
                    "--trust-keys-from-https=true", "--http-stall-timeout=1m30s"}));
    CPPUNIT_ASSERT(g.debug);
    CPPUNIT_ASSERT(g.dirSet);
    CPPUNIT_ASSERT_EQUAL(std::string("/data"), g.dir);
    CPPUNIT_ASSERT_EQUAL(std::string("/s"), g.systemConfigDir);
    CPPUNIT_ASSERT_EQUAL(std::string("/l"), g.localConfigDir);
    CPPUNIT_ASSERT_EQUAL(std::string("/u"), g.userConfigDir);
    CPPUNIT_ASSERT(g.insecureOptions.skipSeccomp());
    CPPUNIT_ASSERT(!g.insecureOptions.skipImageCheck());
    CPPUNIT_ASSERT(g.trustKeysFromHttps);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{90'000},
                         static_cast<std::int64_t>(g.httpStallTimeout.count()));

    CLI::App bad;
    GlobalOptions g2;
    addGlobalFlags(bad, g2);
    const std::string error = parse(bad, {"--insecure-options=image,nope"});
    CPPUNIT_ASSERT(error.find("unknown insecure option `nope`") != std::string::npos);
  }

  void stallTimeoutIsAPositiveDuration() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t{60'000},
                         static_cast<std::int64_t>(GlobalOptions().httpStallTimeout.count()));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1500},
                         static_cast<std::int64_t>(parseStallTimeout("1.5s")->count()));
    CPPUNIT_ASSERT(!parseStallTimeout("0s").ok());
    CPPUNIT_ASSERT(!parseStallTimeout("-1s").ok());
    CPPUNIT_ASSERT(!parseStallTimeout("100us").ok());  // rounds to 0ms
    CPPUNIT_ASSERT(!parseStallTimeout("60").ok());     // Go's "missing unit"
    CLI::App app;
    GlobalOptions g;
    addGlobalFlags(app, g);
    const std::string error = parse(app, {"--http-stall-timeout=soon"});
    CPPUNIT_ASSERT(error.find("--http-stall-timeout") != std::string::npos);
  }

  void flagsAreInTheGlobalGroup() {
    CLI::App app;
    GlobalOptions g;
    addGlobalFlags(app, g);
    std::size_t count = 0;
    for (const CLI::Option* o : app.get_options()) {
      if (o->get_group() == kGlobalGroup)
        ++count;
    }
    CPPUNIT_ASSERT_EQUAL(std::size_t(8), count);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(GlobalOptionsTest);
