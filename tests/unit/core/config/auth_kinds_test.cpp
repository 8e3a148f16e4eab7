// The `auth` and `dockerAuth` kinds in auth.d.
#include <cppunit/extensions/HelperMacros.h>

#include "core/config/temp_tree.hpp"
#include "rkt/core/config.hpp"

using rkt::config::AwsCredentials;
using rkt::config::BasicCredentials;
using rkt::config::OAuthCredentials;
using rkt::config::readConfigDir;
using rkt::test::contains;
using rkt::test::loadError;
using rkt::test::TempTree;

namespace {

std::string auth(const std::string& domains, const std::string& type,
                 const std::string& credentials) {
  return R"({"rktKind":"auth","rktVersion":"v1","domains":)" + domains + R"(,"type":)" + type +
         R"(,"credentials":)" + credentials + "}";
}

std::string docker(const std::string& registries, const std::string& credentials) {
  return R"({"rktKind":"dockerAuth","rktVersion":"v1","registries":)" + registries +
         R"(,"credentials":)" + credentials + "}";
}

// The error for a single file `content` in auth.d, with the expected prefix checked and removed.
std::string causeOf(const std::string& content) {
  TempTree t;
  const std::string f = t.write("c/auth.d/a.json", content);
  const std::string msg = loadError(readConfigDir(t.path("c")));
  const std::string prefix = "invalid configuration in \"" + f + "\": ";
  CPPUNIT_ASSERT_MESSAGE(msg, msg.compare(0, prefix.size(), prefix) == 0);
  return msg.substr(prefix.size());
}

}  // namespace

class ConfigAuthKindTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigAuthKindTest);
  CPPUNIT_TEST(basicForEveryDomain);
  CPPUNIT_TEST(oauth);
  CPPUNIT_TEST(awsWithAndWithoutRegion);
  CPPUNIT_TEST(domainsRequired);
  CPPUNIT_TEST(domainsMustBeStrings);
  CPPUNIT_TEST(typeRequired);
  CPPUNIT_TEST(unknownType);
  CPPUNIT_TEST(basicNeedsUserAndPassword);
  CPPUNIT_TEST(oauthNeedsToken);
  CPPUNIT_TEST(awsNeedsKeys);
  CPPUNIT_TEST(credentialsMustBeAnObject);
  CPPUNIT_TEST(duplicateDomainInOneDirNamesBothFiles);
  CPPUNIT_TEST(duplicateDomainInOneFile);
  CPPUNIT_TEST(dockerAuthForEveryRegistry);
  CPPUNIT_TEST(dockerAuthRequiredFields);
  CPPUNIT_TEST(duplicateRegistryInOneDir);
  CPPUNIT_TEST(authAndDockerAuthDoNotClash);
  CPPUNIT_TEST_SUITE_END();

 public:
  void basicForEveryDomain() {
    TempTree t;
    t.write("c/auth.d/coreos-basic.json", auth(R"(["coreos.com","tectonic.com:8443"])",
                                               R"("basic")", R"({"user":"foo","password":"bar"})"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), r->authPerHost.size());
    for (const char* host : {"coreos.com", "tectonic.com:8443"}) {
      const auto* basic = std::get_if<BasicCredentials>(&r->authPerHost.at(host));
      CPPUNIT_ASSERT(basic != nullptr);
      CPPUNIT_ASSERT_EQUAL(std::string("foo"), basic->user);
      CPPUNIT_ASSERT_EQUAL(std::string("bar"), basic->password);
    }
  }

  void oauth() {
    TempTree t;
    t.write("c/auth.d/o.json", auth(R"(["coreos.com"])", R"("oauth")", R"({"token":"sometoken"})"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->authPerHost.at("coreos.com") ==
                   rkt::config::AuthCredentials(OAuthCredentials{"sometoken"}));
  }

  void awsWithAndWithoutRegion() {
    TempTree t;
    t.write("c/auth.d/a.json",
            auth(R"(["b1.s3.amazonaws.com"])", R"("aws")",
                 R"({"accessKeyID":"foo","secretAccessKey":"bar","awsRegion":"eu-west-1"})"));
    t.write("c/auth.d/b.json", auth(R"(["b2.s3.amazonaws.com"])", R"("aws")",
                                    R"({"accessKeyID":"k","secretAccessKey":"s"})"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT(r->authPerHost.at("b1.s3.amazonaws.com") ==
                   rkt::config::AuthCredentials(AwsCredentials{"foo", "bar", "eu-west-1"}));
    CPPUNIT_ASSERT(r->authPerHost.at("b2.s3.amazonaws.com") ==
                   rkt::config::AuthCredentials(AwsCredentials{"k", "s", ""}));
  }

  void domainsRequired() {
    const std::string creds = R"({"user":"u","password":"p"})";
    CPPUNIT_ASSERT_EQUAL(std::string("no domains specified"),
                         causeOf(auth("[]", R"("basic")", creds)));
    CPPUNIT_ASSERT_EQUAL(std::string("no domains specified"),
                         causeOf(auth("null", R"("basic")", creds)));
    CPPUNIT_ASSERT_EQUAL(
        std::string("no domains specified"),
        causeOf(R"({"rktKind":"auth","rktVersion":"v1","type":"basic","credentials":)" + creds +
                "}"));
  }

  void domainsMustBeStrings() {
    const std::string creds = R"({"user":"u","password":"p"})";
    CPPUNIT_ASSERT_EQUAL(std::string("\"domains\" must be an array of strings"),
                         causeOf(auth(R"("coreos.com")", R"("basic")", creds)));
    CPPUNIT_ASSERT_EQUAL(std::string("\"domains\" must be an array of strings"),
                         causeOf(auth(R"(["a", 1])", R"("basic")", creds)));
  }

  void typeRequired() {
    CPPUNIT_ASSERT_EQUAL(std::string("no auth type specified"),
                         causeOf(auth(R"(["a"])", R"("")", R"({"token":"t"})")));
    CPPUNIT_ASSERT_EQUAL(std::string("\"type\" must be a string"),
                         causeOf(auth(R"(["a"])", "7", R"({"token":"t"})")));
  }

  void unknownType() {
    CPPUNIT_ASSERT_EQUAL(
        std::string("unknown auth type \"digest\" (expected \"basic\", \"oauth\" or \"aws\")"),
        causeOf(auth(R"(["a"])", R"("digest")", R"({"token":"t"})")));
  }

  void basicNeedsUserAndPassword() {
    CPPUNIT_ASSERT_EQUAL(std::string("no user specified in credentials"),
                         causeOf(auth(R"(["a"])", R"("basic")", R"({"password":"p"})")));
    CPPUNIT_ASSERT_EQUAL(std::string("no password specified in credentials"),
                         causeOf(auth(R"(["a"])", R"("basic")", R"({"user":"u","password":""})")));
    CPPUNIT_ASSERT_EQUAL(
        std::string("no user specified in credentials"),
        causeOf(R"({"rktKind":"auth","rktVersion":"v1","domains":["a"],"type":"basic"})"));
  }

  void oauthNeedsToken() {
    CPPUNIT_ASSERT_EQUAL(std::string("no token specified in credentials"),
                         causeOf(auth(R"(["a"])", R"("oauth")", R"({"user":"u"})")));
    CPPUNIT_ASSERT_EQUAL(std::string("credentials: \"token\" must be a string"),
                         causeOf(auth(R"(["a"])", R"("oauth")", R"({"token":["t"]})")));
  }

  void awsNeedsKeys() {
    CPPUNIT_ASSERT_EQUAL(std::string("no accessKeyID specified in credentials"),
                         causeOf(auth(R"(["a"])", R"("aws")", R"({"secretAccessKey":"s"})")));
    CPPUNIT_ASSERT_EQUAL(std::string("no secretAccessKey specified in credentials"),
                         causeOf(auth(R"(["a"])", R"("aws")", R"({"accessKeyID":"k"})")));
  }

  void credentialsMustBeAnObject() {
    CPPUNIT_ASSERT_EQUAL(std::string("\"credentials\" must be an object"),
                         causeOf(auth(R"(["a"])", R"("basic")", R"("u:p")")));
  }

  void duplicateDomainInOneDirNamesBothFiles() {
    TempTree t;
    const std::string first = t.write(
        "c/auth.d/a.json", auth(R"(["coreos.com","x.org"])", R"("oauth")", R"({"token":"t"})"));
    const std::string second = t.write("c/auth.d/b.json", auth(R"(["coreos.com"])", R"("basic")",
                                                               R"({"user":"u","password":"p"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + second +
                                     "\": auth for domain \"coreos.com\" is already specified in "
                                     "\"" +
                                     first + "\""),
                         loadError(readConfigDir(t.path("c"))));
  }

  void duplicateDomainInOneFile() {
    const std::string msg = causeOf(auth(R"(["a.com","a.com"])", R"("oauth")", R"({"token":"t"})"));
    CPPUNIT_ASSERT_MESSAGE(msg, contains(msg, "auth for domain \"a.com\" is already specified"));
  }

  void dockerAuthForEveryRegistry() {
    TempTree t;
    t.write("c/auth.d/docker.json",
            docker(R"(["registry-1.docker.io","quay.io"])", R"({"user":"foo","password":"bar"})"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), r->dockerCredentialsPerRegistry.size());
    CPPUNIT_ASSERT(r->dockerCredentialsPerRegistry.at("quay.io") ==
                   (BasicCredentials{"foo", "bar"}));
    CPPUNIT_ASSERT(r->dockerCredentialsPerRegistry.at("registry-1.docker.io") ==
                   (BasicCredentials{"foo", "bar"}));
    CPPUNIT_ASSERT(r->authPerHost.empty());
  }

  void dockerAuthRequiredFields() {
    const std::string creds = R"({"user":"u","password":"p"})";
    CPPUNIT_ASSERT_EQUAL(std::string("no registries specified"), causeOf(docker("[]", creds)));
    CPPUNIT_ASSERT_EQUAL(std::string("no password specified in credentials"),
                         causeOf(docker(R"(["quay.io"])", R"({"user":"u"})")));
    CPPUNIT_ASSERT_EQUAL(std::string("no user specified in credentials"),
                         causeOf(docker(R"(["quay.io"])", "{}")));
    CPPUNIT_ASSERT_EQUAL(std::string("\"registries\" must be an array of strings"),
                         causeOf(docker(R"("quay.io")", creds)));
  }

  void duplicateRegistryInOneDir() {
    TempTree t;
    const std::string first =
        t.write("c/auth.d/1.json", docker(R"(["gcr.io"])", R"({"user":"a","password":"b"})"));
    const std::string second = t.write(
        "c/auth.d/2.json", docker(R"(["quay.io","gcr.io"])", R"({"user":"c","password":"d"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration in \"" + second +
                                     "\": credentials for docker registry \"gcr.io\" are already "
                                     "specified in \"" +
                                     first + "\""),
                         loadError(readConfigDir(t.path("c"))));
  }

  void authAndDockerAuthDoNotClash() {
    TempTree t;
    t.write("c/auth.d/1.json", docker(R"(["quay.io"])", R"({"user":"a","password":"b"})"));
    t.write("c/auth.d/2.json", auth(R"(["quay.io"])", R"("oauth")", R"({"token":"t"})"));
    auto r = readConfigDir(t.path("c"));
    CPPUNIT_ASSERT_MESSAGE(loadError(r), r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), r->authPerHost.size());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), r->dockerCredentialsPerRegistry.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigAuthKindTest);
