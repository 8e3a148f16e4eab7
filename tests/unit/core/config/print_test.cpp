// `rkt config` output (rkt-notes §1.20): entries, order, and formatting.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::AwsCredentials;
using rkt::config::BasicCredentials;
using rkt::config::Config;
using rkt::config::OAuthCredentials;
using rkt::config::toJson;
using rkt::test::loadError;
using rkt::test::TempTree;

namespace {

Config sample() {
  Config c;
  c.authPerHost["foo.com"] = BasicCredentials{"user", "userPassword"};
  c.authPerHost["bar.com"] = OAuthCredentials{"someToken"};
  c.authPerHost["s3.example"] = AwsCredentials{"k", "s", ""};
  c.dockerCredentialsPerRegistry["quay.io"] = BasicCredentials{"q", "p"};
  c.dockerCredentialsPerRegistry["gcr.io"] = BasicCredentials{"g", "p"};
  c.paths.data = "/var/lib/rkt";
  c.paths.stage1Images = "/usr/lib/rkt";
  c.stage1 = {"coreos.com/rkt/stage1-coreos", "0.15.0+git", "/usr/libexec/rkt/stage1-coreos.aci"};
  return c;
}

}  // namespace

class ConfigPrintTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigPrintTest);
  CPPUNIT_TEST(emptyConfigCompact);
  CPPUNIT_TEST(entriesInDeterministicOrder);
  CPPUNIT_TEST(prettyIsTabIndented);
  CPPUNIT_TEST(pluginsPrintedOnlyWhenSet);
  CPPUNIT_TEST(outputEntriesAreValidConfiguration);
  CPPUNIT_TEST(specialCharactersAreEscaped);
  CPPUNIT_TEST_SUITE_END();

 public:
  void emptyConfigCompact() {
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"stage0":[{"rktVersion":"v1","rktKind":"paths","data":"",)"
                    R"("stage1-images":""},{"rktVersion":"v1","rktKind":"stage1","name":"",)"
                    R"("version":"","location":""}]})"),
        toJson(Config{}, false));
  }

  void entriesInDeterministicOrder() {
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            R"({"stage0":[)"
            R"({"rktVersion":"v1","rktKind":"auth","domains":["bar.com"],"type":"oauth",)"
            R"("credentials":{"token":"someToken"}},)"
            R"({"rktVersion":"v1","rktKind":"auth","domains":["foo.com"],"type":"basic",)"
            R"("credentials":{"user":"user","password":"userPassword"}},)"
            R"({"rktVersion":"v1","rktKind":"auth","domains":["s3.example"],"type":"aws",)"
            R"("credentials":{"accessKeyID":"k","secretAccessKey":"s","awsRegion":""}},)"
            R"({"rktVersion":"v1","rktKind":"dockerAuth","registries":["gcr.io"],)"
            R"("credentials":{"user":"g","password":"p"}},)"
            R"({"rktVersion":"v1","rktKind":"dockerAuth","registries":["quay.io"],)"
            R"("credentials":{"user":"q","password":"p"}},)"
            R"({"rktVersion":"v1","rktKind":"paths","data":"/var/lib/rkt",)"
            R"("stage1-images":"/usr/lib/rkt"},)"
            R"({"rktVersion":"v1","rktKind":"stage1","name":"coreos.com/rkt/stage1-coreos",)"
            R"("version":"0.15.0+git","location":"/usr/libexec/rkt/stage1-coreos.aci"}]})"),
        toJson(sample(), false));
  }

  void prettyIsTabIndented() {
    Config c;
    c.authPerHost["foo.com"] = BasicCredentials{"user", "userPassword"};
    c.paths.data = "/var/lib/rkt";
    const std::string expected =
        "{\n"
        "\t\"stage0\": [\n"
        "\t\t{\n"
        "\t\t\t\"rktVersion\": \"v1\",\n"
        "\t\t\t\"rktKind\": \"auth\",\n"
        "\t\t\t\"domains\": [\n"
        "\t\t\t\t\"foo.com\"\n"
        "\t\t\t],\n"
        "\t\t\t\"type\": \"basic\",\n"
        "\t\t\t\"credentials\": {\n"
        "\t\t\t\t\"user\": \"user\",\n"
        "\t\t\t\t\"password\": \"userPassword\"\n"
        "\t\t\t}\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"rktVersion\": \"v1\",\n"
        "\t\t\t\"rktKind\": \"paths\",\n"
        "\t\t\t\"data\": \"/var/lib/rkt\",\n"
        "\t\t\t\"stage1-images\": \"\"\n"
        "\t\t},\n"
        "\t\t{\n"
        "\t\t\t\"rktVersion\": \"v1\",\n"
        "\t\t\t\"rktKind\": \"stage1\",\n"
        "\t\t\t\"name\": \"\",\n"
        "\t\t\t\"version\": \"\",\n"
        "\t\t\t\"location\": \"\"\n"
        "\t\t}\n"
        "\t]\n"
        "}";
    CPPUNIT_ASSERT_EQUAL(expected, toJson(c, true));
  }

  void pluginsPrintedOnlyWhenSet() {
    Config c;
    CPPUNIT_ASSERT(toJson(c, false).find("plugins") == std::string::npos);
    c.paths.plugins = "/opt/plugins";
    CPPUNIT_ASSERT(toJson(c, false).find(R"("stage1-images":"","plugins":"/opt/plugins"})") !=
                   std::string::npos);
  }

  void outputEntriesAreValidConfiguration() {
    // configuration.md: the output entries are valid configuration files. Write each back into
    // the directory its kind belongs to and load it again.
    Config c = sample();
    c.paths.plugins = "/opt/plugins";
    Poco::JSON::Parser parser;
    auto root = parser.parse(toJson(c, true)).extract<Poco::JSON::Object::Ptr>();
    auto stage0 = root->getArray("stage0");
    TempTree t;
    for (std::size_t i = 0; i < stage0->size(); ++i) {
      auto entry = stage0->getObject(static_cast<unsigned int>(i));
      const std::string kind = entry->getValue<std::string>("rktKind");
      const std::string dir = kind == "auth" || kind == "dockerAuth" ? "auth.d" : kind + ".d";
      std::ostringstream text;
      entry->stringify(text);
      t.write("c/" + dir + "/" + std::to_string(i) + ".json", text.str());
    }
    auto r = rkt::config::readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->authPerHost == c.authPerHost);
    CPPUNIT_ASSERT(r->dockerCredentialsPerRegistry == c.dockerCredentialsPerRegistry);
    CPPUNIT_ASSERT_EQUAL(c.paths.data, r->paths.data);
    CPPUNIT_ASSERT_EQUAL(c.paths.stage1Images, r->paths.stage1Images);
    CPPUNIT_ASSERT_EQUAL(c.paths.plugins, r->paths.plugins);
    CPPUNIT_ASSERT_EQUAL(c.stage1.name, r->stage1.name);
    CPPUNIT_ASSERT_EQUAL(c.stage1.version, r->stage1.version);
    CPPUNIT_ASSERT_EQUAL(c.stage1.location, r->stage1.location);
  }

  void specialCharactersAreEscaped() {
    Config c;
    c.authPerHost["h"] = OAuthCredentials{"a\"b\\c\n{[,:]}"};
    for (bool pretty : {false, true}) {
      Poco::JSON::Parser parser;
      auto root = parser.parse(toJson(c, pretty)).extract<Poco::JSON::Object::Ptr>();
      auto token = root->getArray("stage0")
                       ->getObject(0)
                       ->getObject("credentials")
                       ->getValue<std::string>("token");
      CPPUNIT_ASSERT_EQUAL(std::string("a\"b\\c\n{[,:]}"), token);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigPrintTest);
