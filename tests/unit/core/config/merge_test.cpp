// Merging system, local and user directories (later overrides earlier, per rkt's rules).
#include <cppunit/extensions/HelperMacros.h>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::AuthCredentials;
using rkt::config::BasicCredentials;
using rkt::config::Config;
using rkt::config::Dirs;
using rkt::config::loadConfig;
using rkt::config::mergeConfig;
using rkt::config::OAuthCredentials;
using rkt::test::loadError;
using rkt::test::TempTree;

class ConfigMergeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigMergeTest);
  CPPUNIT_TEST(authOverridesPerDomain);
  CPPUNIT_TEST(dockerAuthOverridesPerRegistry);
  CPPUNIT_TEST(pathsOverridePerField);
  CPPUNIT_TEST(stage1NameVersionAndLocationOverrideSeparately);
  CPPUNIT_TEST(sameValueInTwoDirsIsNotAnError);
  CPPUNIT_TEST(userDirIsOptional);
  CPPUNIT_TEST(errorInAnyDirFailsTheLoad);
  CPPUNIT_TEST(mergeKeepsVersionWithName);
  CPPUNIT_TEST_SUITE_END();

 public:
  void authOverridesPerDomain() {
    // The override example of configuration.md, with a user dir on top.
    TempTree t;
    t.write("sys/auth.d/coreos.json",
            R"({"rktKind":"auth","rktVersion":"v1","domains":["coreos.com","tectonic.com",
            "kubernetes.io"],"type":"oauth","credentials":{"token":"common-token"}})");
    t.write("local/auth.d/specific-coreos.json",
            R"({"rktKind":"auth","rktVersion":"v1","domains":["coreos.com"],"type":"basic",
            "credentials":{"user":"foo","password":"bar"}})");
    t.write("local/auth.d/specific-tectonic.json",
            R"({"rktKind":"auth","rktVersion":"v1","domains":["tectonic.com"],"type":"oauth",
            "credentials":{"token":"tectonic-token"}})");
    t.write("user/auth.d/mine.json",
            R"({"rktKind":"auth","rktVersion":"v1","domains":["tectonic.com"],"type":"oauth",
            "credentials":{"token":"user-token"}})");
    auto r = loadConfig(Dirs{t.path("sys"), t.path("local"), t.path("user")});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(3), r->authPerHost.size());
    CPPUNIT_ASSERT(r->authPerHost.at("kubernetes.io") ==
                   AuthCredentials(OAuthCredentials{"common-token"}));
    CPPUNIT_ASSERT(r->authPerHost.at("coreos.com") ==
                   AuthCredentials(BasicCredentials{"foo", "bar"}));
    CPPUNIT_ASSERT(r->authPerHost.at("tectonic.com") ==
                   AuthCredentials(OAuthCredentials{"user-token"}));
  }

  void dockerAuthOverridesPerRegistry() {
    TempTree t;
    t.write("sys/auth.d/docker.json",
            R"({"rktKind":"dockerAuth","rktVersion":"v1","registries":["registry-1.docker.io",
            "gcr.io","quay.io"],"credentials":{"user":"foo","password":"bar"}})");
    t.write("local/auth.d/specific-quay.json",
            R"({"rktKind":"dockerAuth","rktVersion":"v1","registries":["quay.io"],
            "credentials":{"user":"baz","password":"quux"}})");
    t.write("user/auth.d/specific-gcr.json",
            R"({"rktKind":"dockerAuth","rktVersion":"v1","registries":["gcr.io"],
            "credentials":{"user":"goo","password":"gle"}})");
    auto r = loadConfig(Dirs{t.path("sys"), t.path("local"), t.path("user")});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    const auto& docker = r->dockerCredentialsPerRegistry;
    CPPUNIT_ASSERT(docker.at("registry-1.docker.io") == (BasicCredentials{"foo", "bar"}));
    CPPUNIT_ASSERT(docker.at("quay.io") == (BasicCredentials{"baz", "quux"}));
    CPPUNIT_ASSERT(docker.at("gcr.io") == (BasicCredentials{"goo", "gle"}));
  }

  void pathsOverridePerField() {
    TempTree t;
    t.write("sys/paths.d/data.json",
            R"({"rktKind":"paths","rktVersion":"v1","data":"/opt/rkt-stuff/data",
            "stage1-images":"/sys/s1","plugins":"/sys/plugins"})");
    t.write("local/paths.d/paths.json",
            R"({"rktKind":"paths","rktVersion":"v1","data":"/home/me/rkt"})");
    t.write("user/paths.d/paths.json",
            R"({"rktKind":"paths","rktVersion":"v1","data":"","plugins":"/user/plugins"})");
    auto r = loadConfig(Dirs{t.path("sys"), t.path("local"), t.path("user")});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/home/me/rkt"), r->paths.data);
    CPPUNIT_ASSERT_EQUAL(std::string("/sys/s1"), r->paths.stage1Images);
    CPPUNIT_ASSERT_EQUAL(std::string("/user/plugins"), r->paths.plugins);
  }

  void stage1NameVersionAndLocationOverrideSeparately() {
    TempTree t;
    t.write("sys/stage1.d/coreos.json",
            R"({"rktKind":"stage1","rktVersion":"v1","name":"coreos.com/rkt/stage1-coreos",
            "version":"0.15.0+git","location":"/usr/libexec/rkt/stage1-coreos.aci"})");
    t.write("local/stage1.d/specific-coreos.json",
            R"({"rktKind":"stage1","rktVersion":"v1",
            "location":"https://example.com/coreos-stage1.aci"})");
    auto r = loadConfig(Dirs{t.path("sys"), t.path("local"), ""});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("coreos.com/rkt/stage1-coreos"), r->stage1.name);
    CPPUNIT_ASSERT_EQUAL(std::string("0.15.0+git"), r->stage1.version);
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/coreos-stage1.aci"), r->stage1.location);

    t.write("user/stage1.d/other-name-and-version.json",
            R"({"rktKind":"stage1","rktVersion":"v1","name":"example.com/rkt/stage1",
            "version":"1.2.3"})");
    r = loadConfig(Dirs{t.path("sys"), t.path("local"), t.path("user")});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/rkt/stage1"), r->stage1.name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), r->stage1.version);
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/coreos-stage1.aci"), r->stage1.location);
  }

  void sameValueInTwoDirsIsNotAnError() {
    TempTree t;
    const std::string file =
        R"({"rktKind":"paths","rktVersion":"v1","data":"/d","stage1-images":"/s"})";
    t.write("sys/paths.d/p.json", file);
    t.write("local/paths.d/p.json", file);
    t.write("user/paths.d/p.json", file);
    auto r = loadConfig(Dirs{t.path("sys"), t.path("local"), t.path("user")});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/d"), r->paths.data);
  }

  void userDirIsOptional() {
    TempTree t;
    t.write("local/paths.d/p.json", R"({"rktKind":"paths","rktVersion":"v1","data":"/local"})");
    auto r = loadConfig(Dirs{t.path("absent"), t.path("local"), ""});
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/local"), r->paths.data);
  }

  void errorInAnyDirFailsTheLoad() {
    TempTree t;
    t.write("sys/paths.d/p.json", R"({"rktKind":"paths","rktVersion":"v1","data":"/d"})");
    const std::string bad = t.write("user/paths.d/p.json", R"({"rktKind":"paths"})");
    auto r = loadConfig(Dirs{t.path("sys"), t.path("local"), t.path("user")});
    CPPUNIT_ASSERT_EQUAL(std::string("no rktVersion specified in \"" + bad + "\""), loadError(r));
  }

  void mergeKeepsVersionWithName() {
    Config base;
    base.stage1 = {"a", "1", "/a.aci"};
    Config over;
    over.stage1 = {"", "", ""};
    mergeConfig(base, over);
    CPPUNIT_ASSERT_EQUAL(std::string("a"), base.stage1.name);
    CPPUNIT_ASSERT_EQUAL(std::string("1"), base.stage1.version);
    CPPUNIT_ASSERT_EQUAL(std::string("/a.aci"), base.stage1.location);
    over.stage1 = {"b", "2", ""};
    mergeConfig(base, over);
    CPPUNIT_ASSERT_EQUAL(std::string("b"), base.stage1.name);
    CPPUNIT_ASSERT_EQUAL(std::string("2"), base.stage1.version);
    CPPUNIT_ASSERT_EQUAL(std::string("/a.aci"), base.stage1.location);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigMergeTest);
