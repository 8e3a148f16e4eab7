// Directory scanning and the rktKind/rktVersion header rules (rkt-notes §2.9).
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::loadConfigFrom;
using rkt::config::readConfigDir;
using rkt::test::contains;
using rkt::test::loadError;
using rkt::test::TempTree;

namespace {

const char* kBasicAuth = R"({"rktKind":"auth","rktVersion":"v1","domains":["example.com"],
  "type":"basic","credentials":{"user":"u","password":"p"}})";

}  // namespace

class ConfigLoaderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigLoaderTest);
  CPPUNIT_TEST(nonExistentDirsAreIgnored);
  CPPUNIT_TEST(emptyDirNamesAreSkipped);
  CPPUNIT_TEST(configPathThatIsAFileIsAnError);
  CPPUNIT_TEST(knownSubdirThatIsAFileIsAnError);
  CPPUNIT_TEST(configDirBelowAFileIsAnError);
  CPPUNIT_TEST(onlyRegularJsonFilesAreRead);
  CPPUNIT_TEST(subdirectoriesAreNotEntered);
  CPPUNIT_TEST(symlinkedFilesAreIgnored);
  CPPUNIT_TEST(symlinkedConfigDirIsFollowed);
  CPPUNIT_TEST(unknownSubdirsAndTopLevelFilesAreIgnored);
  CPPUNIT_TEST(missingRktKind);
  CPPUNIT_TEST(emptyRktKind);
  CPPUNIT_TEST(missingRktVersion);
  CPPUNIT_TEST(nonStringRktKind);
  CPPUNIT_TEST(unknownKind);
  CPPUNIT_TEST(wrongKindForSubdir);
  CPPUNIT_TEST(unknownVersion);
  CPPUNIT_TEST(invalidJson);
  CPPUNIT_TEST(emptyFileIsInvalidJson);
  CPPUNIT_TEST(topLevelMustBeAnObject);
  CPPUNIT_TEST(unknownFieldsAreIgnored);
  CPPUNIT_TEST(trailingSlashInDirName);
  CPPUNIT_TEST_SUITE_END();

 public:
  void nonExistentDirsAreIgnored() {
    TempTree t;
    auto r = loadConfigFrom({t.path("absent"), t.path("also/absent")});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->authPerHost.empty());
    CPPUNIT_ASSERT(r->paths.data.empty());
  }

  void emptyDirNamesAreSkipped() {
    TempTree t;
    t.write("sys/auth.d/a.json", kBasicAuth);
    auto r = loadConfigFrom({t.path("sys"), ""});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), r->authPerHost.count("example.com"));
  }

  void configPathThatIsAFileIsAnError() {
    TempTree t;
    const std::string file = t.write("notadir", "x");
    auto r = loadConfigFrom({file});
    CPPUNIT_ASSERT_EQUAL(std::string("config path \"" + file + "\" is not a directory"),
                         loadError(r));
  }

  void knownSubdirThatIsAFileIsAnError() {
    TempTree t;
    const std::string file = t.write("local/paths.d", "{}");
    auto r = readConfigDir(t.path("local"));
    CPPUNIT_ASSERT_EQUAL(std::string("config path \"" + file + "\" is not a directory"),
                         loadError(r));
  }

  void configDirBelowAFileIsAnError() {
    TempTree t;
    t.write("file", "x");
    auto r = readConfigDir(t.path("file/rkt"));
    const std::string msg = loadError(r);
    CPPUNIT_ASSERT_MESSAGE(msg, contains(msg, "\"" + t.path("file/rkt") + "\""));
    CPPUNIT_ASSERT_EQUAL(ENOTDIR, r.error().sysErrno);
  }

  void onlyRegularJsonFilesAreRead() {
    TempTree t;
    t.write("c/auth.d/good.json", kBasicAuth);
    t.write("c/auth.d/README", "not json at all");
    t.write("c/auth.d/notes.txt", "{");
    t.write("c/auth.d/backup.json~", "{");
    t.write("c/auth.d/x.JSON", "{");
    ::mkfifo(t.path("c/auth.d/fifo.json").c_str(), 0600);
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), r->authPerHost.size());
  }

  void subdirectoriesAreNotEntered() {
    TempTree t;
    t.write("c/auth.d/nested/bad.json", "{");
    t.mkdir("c/auth.d/dir.json");
    t.write("c/stage1.d/deeper/x.json",
            R"({"rktKind":"stage1","rktVersion":"v1","location":"rel"})");
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->stage1.location.empty());
  }

  void symlinkedFilesAreIgnored() {
    TempTree t;
    const std::string target = t.write("elsewhere/auth.json", kBasicAuth);
    const std::string broken = t.write("elsewhere/broken.json", "{");
    t.mkdir("c/auth.d");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(target.c_str(), t.path("c/auth.d/link.json").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(broken.c_str(), t.path("c/auth.d/bad.json").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("/nonexistent", t.path("c/auth.d/dangling.json").c_str()));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->authPerHost.empty());
  }

  void symlinkedConfigDirIsFollowed() {
    // The configuration directory and its known subdirectories may be symlinks (e.g. /etc/rkt
    // managed elsewhere); only files inside them are required to be regular.
    TempTree t;
    t.write("real/auth.d/a.json", kBasicAuth);
    t.write("real-paths/p.json", R"({"rktKind":"paths","rktVersion":"v1","data":"/d"})");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(t.path("real").c_str(), t.path("link").c_str()));
    CPPUNIT_ASSERT_EQUAL(0,
                         ::symlink(t.path("real-paths").c_str(), t.path("real/paths.d").c_str()));
    auto r = readConfigDir(t.path("link"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), r->authPerHost.size());
    CPPUNIT_ASSERT_EQUAL(std::string("/d"), r->paths.data);
  }

  void unknownSubdirsAndTopLevelFilesAreIgnored() {
    TempTree t;
    t.write("c/net.d/10-net.json", "{ not json");
    t.write("c/trustedkeys/prefix.d/x.json", "{");
    t.write("c/top.json", "{");
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
  }

  void missingRktKind() {
    TempTree t;
    const std::string f = t.write("c/auth.d/a.json", R"({"rktVersion":"v1"})");
    CPPUNIT_ASSERT_EQUAL(std::string("no rktKind specified in \"" + f + "\""),
                         loadError(readConfigDir(t.path("c"))));
  }

  void emptyRktKind() {
    TempTree t;
    const std::string f = t.write("c/paths.d/a.json", R"({"rktKind":"","rktVersion":"v1"})");
    CPPUNIT_ASSERT_EQUAL(std::string("no rktKind specified in \"" + f + "\""),
                         loadError(readConfigDir(t.path("c"))));
  }

  void missingRktVersion() {
    TempTree t;
    const std::string f = t.write("c/auth.d/a.json", R"({"rktKind":"auth"})");
    CPPUNIT_ASSERT_EQUAL(std::string("no rktVersion specified in \"" + f + "\""),
                         loadError(readConfigDir(t.path("c"))));
  }

  void nonStringRktKind() {
    TempTree t;
    const std::string f = t.write("c/auth.d/a.json", R"({"rktKind":5,"rktVersion":"v1"})");
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid configuration in \"" + f + "\": \"rktKind\" must be a string"),
        loadError(readConfigDir(t.path("c"))));
  }

  void unknownKind() {
    TempTree t;
    const std::string f = t.write("c/auth.d/a.json", R"({"rktKind":"pathz","rktVersion":"v1"})");
    CPPUNIT_ASSERT_EQUAL(std::string("unknown rktKind \"pathz\" in \"" + f +
                                     "\" (expected \"auth\" or \"dockerAuth\" in auth.d)"),
                         loadError(readConfigDir(t.path("c"))));
  }

  void wrongKindForSubdir() {
    TempTree t;
    const std::string f =
        t.write("c/auth.d/a.json", R"({"rktKind":"paths","rktVersion":"v1","data":"/x"})");
    CPPUNIT_ASSERT_EQUAL(std::string("rktKind \"paths\" in \"" + f +
                                     "\" does not belong in auth.d (expected \"auth\" or "
                                     "\"dockerAuth\")"),
                         loadError(readConfigDir(t.path("c"))));

    TempTree t2;
    const std::string g = t2.write("c/stage1.d/s.json", kBasicAuth);
    CPPUNIT_ASSERT_EQUAL(std::string("rktKind \"auth\" in \"" + g +
                                     "\" does not belong in stage1.d (expected \"stage1\")"),
                         loadError(readConfigDir(t2.path("c"))));

    TempTree t3;
    const std::string h = t3.write(
        "c/paths.d/s.json", R"({"rktKind":"dockerAuth","rktVersion":"v1","registries":["q"]})");
    CPPUNIT_ASSERT_EQUAL(std::string("rktKind \"dockerAuth\" in \"" + h +
                                     "\" does not belong in paths.d (expected \"paths\")"),
                         loadError(readConfigDir(t3.path("c"))));
  }

  void unknownVersion() {
    TempTree t;
    const std::string f = t.write("c/paths.d/p.json", R"({"rktKind":"paths","rktVersion":"v2"})");
    CPPUNIT_ASSERT_EQUAL(std::string("unknown rktVersion \"v2\" of rktKind \"paths\" in \"" + f +
                                     "\" (expected \"v1\")"),
                         loadError(readConfigDir(t.path("c"))));
  }

  void invalidJson() {
    TempTree t;
    const std::string f = t.write("c/stage1.d/s.json", R"({"rktKind":"stage1",)");
    const std::string msg = loadError(readConfigDir(t.path("c")));
    CPPUNIT_ASSERT_MESSAGE(msg, contains(msg, "invalid JSON in \"" + f + "\": "));
  }

  void emptyFileIsInvalidJson() {
    TempTree t;
    const std::string f = t.write("c/auth.d/empty.json", "");
    const std::string msg = loadError(readConfigDir(t.path("c")));
    CPPUNIT_ASSERT_MESSAGE(msg, contains(msg, "invalid JSON in \"" + f + "\""));
  }

  void topLevelMustBeAnObject() {
    TempTree t;
    const std::string f = t.write("c/auth.d/a.json", R"(["rktKind","auth"])");
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid configuration in \"" + f + "\": expected a JSON object"),
        loadError(readConfigDir(t.path("c"))));
  }

  void unknownFieldsAreIgnored() {
    // Newer-but-compatible files must load (configuration.md: new fields get defaults).
    TempTree t;
    t.write("c/paths.d/p.json",
            R"({"rktKind":"paths","rktVersion":"v1","data":"/d","future":{"x":[1,2]}})");
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/d"), r->paths.data);
  }

  void trailingSlashInDirName() {
    TempTree t;
    const std::string f = t.write("c/auth.d/a.json", R"({"rktVersion":"v1"})");
    CPPUNIT_ASSERT_EQUAL(std::string("no rktKind specified in \"" + f + "\""),
                         loadError(readConfigDir(t.path("c") + "/")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigLoaderTest);
