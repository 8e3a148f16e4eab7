// Credential lookups: auth per host, the credentials object of each type, dockerAuth per
// registry. (The headers made from them are support/http's: tests/unit/support/http/.)
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/core/config.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"

using rkt::config::authEntries;
using rkt::config::authFor;
using rkt::config::authTypeName;
using rkt::config::AwsCredentials;
using rkt::config::BasicCredentials;
using rkt::config::Config;
using rkt::config::credentialFields;
using rkt::config::dockerCredentials;
using rkt::config::OAuthCredentials;

namespace {

Config sample() {
  Config c;
  c.authPerHost["coreos.com"] = BasicCredentials{"foo", "bar"};
  c.authPerHost["tectonic.com"] = OAuthCredentials{"tectonic-token"};
  c.authPerHost["registry.local:5000"] = BasicCredentials{"user", "pass:with:colons"};
  c.authPerHost["bucket.s3.amazonaws.com"] = AwsCredentials{"AKID", "SECRET", ""};
  c.dockerCredentialsPerRegistry["quay.io"] = BasicCredentials{"baz", "quux"};
  return c;
}

}  // namespace

class ConfigCredentialsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigCredentialsTest);
  CPPUNIT_TEST(credentialFieldsPerType);
  CPPUNIT_TEST(authEntriesOnePerHost);
  CPPUNIT_TEST(hostMatchIsExactIncludingPort);
  CPPUNIT_TEST(dockerLookupByRegistry);
  CPPUNIT_TEST(typeNames);
  CPPUNIT_TEST_SUITE_END();

 public:
  void credentialFieldsPerType() {
    using Fields = std::map<std::string, std::string>;
    const Config c = sample();
    CPPUNIT_ASSERT(credentialFields(*authFor(c, "coreos.com")) ==
                   (Fields{{"user", "foo"}, {"password", "bar"}}));
    CPPUNIT_ASSERT(credentialFields(*authFor(c, "tectonic.com")) ==
                   (Fields{{"token", "tectonic-token"}}));
    CPPUNIT_ASSERT(
        credentialFields(*authFor(c, "bucket.s3.amazonaws.com")) ==
        (Fields{{"accessKeyID", "AKID"}, {"secretAccessKey", "SECRET"}, {"awsRegion", ""}}));
  }

  void authEntriesOnePerHost() {
    const auto entries = authEntries(sample());
    CPPUNIT_ASSERT_EQUAL(std::size_t{4}, entries.size());
    CPPUNIT_ASSERT(entries[0].domains == std::vector<std::string>{"bucket.s3.amazonaws.com"});
    CPPUNIT_ASSERT_EQUAL(std::string("aws"), entries[0].type);
    CPPUNIT_ASSERT_EQUAL(std::string("AKID"), entries[0].credentials.at("accessKeyID"));
    CPPUNIT_ASSERT(entries[3].domains == std::vector<std::string>{"tectonic.com"});
    CPPUNIT_ASSERT_EQUAL(std::string("oauth"), entries[3].type);
    CPPUNIT_ASSERT(authEntries(Config{}).empty());
  }

  void hostMatchIsExactIncludingPort() {
    const Config c = sample();
    CPPUNIT_ASSERT(authFor(c, "coreos.com:443") == nullptr);
    CPPUNIT_ASSERT(authFor(c, "www.coreos.com") == nullptr);
    CPPUNIT_ASSERT(authFor(c, "registry.local") == nullptr);
    CPPUNIT_ASSERT(authFor(c, "registry.local:5000") != nullptr);
    CPPUNIT_ASSERT(authFor(c, "unknown.org") == nullptr);
  }

  void dockerLookupByRegistry() {
    const Config c = sample();
    const auto quay = dockerCredentials(c, "quay.io");
    CPPUNIT_ASSERT(quay.has_value());
    CPPUNIT_ASSERT(*quay == (BasicCredentials{"baz", "quux"}));
    CPPUNIT_ASSERT(!dockerCredentials(c, "registry-1.docker.io").has_value());
    CPPUNIT_ASSERT(!dockerCredentials(c, "coreos.com").has_value());
  }

  void typeNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("basic"), authTypeName(BasicCredentials{}));
    CPPUNIT_ASSERT_EQUAL(std::string("oauth"), authTypeName(OAuthCredentials{}));
    CPPUNIT_ASSERT_EQUAL(std::string("aws"), authTypeName(AwsCredentials{}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigCredentialsTest);
