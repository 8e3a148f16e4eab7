// Credential lookups: auth headers per host, aws credentials, dockerAuth per registry.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/core/config.hpp"

using rkt::config::authFor;
using rkt::config::authHeaders;
using rkt::config::authHeadersForUrl;
using rkt::config::authTypeName;
using rkt::config::AwsCredentials;
using rkt::config::BasicCredentials;
using rkt::config::Config;
using rkt::config::dockerCredentials;
using rkt::config::HttpHeaders;
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

HttpHeaders one(const std::string& name, const std::string& value) {
  return {{name, value}};
}

}  // namespace

class ConfigCredentialsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigCredentialsTest);
  CPPUNIT_TEST(basicHeaderIsBase64OfUserColonPassword);
  CPPUNIT_TEST(oauthHeaderIsBearer);
  CPPUNIT_TEST(awsGivesNoHeaderButCredentials);
  CPPUNIT_TEST(hostMatchIsExactIncludingPort);
  CPPUNIT_TEST(urlHeadersOnlyOverHttps);
  CPPUNIT_TEST(dockerLookupByRegistry);
  CPPUNIT_TEST(typeNames);
  CPPUNIT_TEST_SUITE_END();

 public:
  void basicHeaderIsBase64OfUserColonPassword() {
    // configuration.md: foo:bar -> "Authorization: Basic Zm9vOmJhcg=="
    CPPUNIT_ASSERT(authHeaders(sample(), "coreos.com") ==
                   one("Authorization", "Basic Zm9vOmJhcg=="));
    // base64("user:pass:with:colons"); long credentials must stay on one line.
    CPPUNIT_ASSERT(authHeaders(sample(), "registry.local:5000") ==
                   one("Authorization", "Basic dXNlcjpwYXNzOndpdGg6Y29sb25z"));
    Config c;
    c.authPerHost["h"] = BasicCredentials{std::string(100, 'u'), std::string(100, 'p')};
    const auto headers = authHeaders(c, "h");
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), headers.size());
    CPPUNIT_ASSERT_EQUAL(std::string::npos, headers[0].second.find('\n'));
    // "Basic " + 4 * ceil(201 / 3) characters, no line breaks.
    CPPUNIT_ASSERT_EQUAL(std::size_t(6 + 268), headers[0].second.size());
  }

  void oauthHeaderIsBearer() {
    CPPUNIT_ASSERT(authHeaders(sample(), "tectonic.com") ==
                   one("Authorization", "Bearer tectonic-token"));
  }

  void awsGivesNoHeaderButCredentials() {
    const Config c = sample();
    CPPUNIT_ASSERT(authHeaders(c, "bucket.s3.amazonaws.com").empty());
    const auto* credentials = authFor(c, "bucket.s3.amazonaws.com");
    CPPUNIT_ASSERT(credentials != nullptr);
    const auto* aws = std::get_if<AwsCredentials>(credentials);
    CPPUNIT_ASSERT(aws != nullptr);
    CPPUNIT_ASSERT_EQUAL(std::string("AKID"), aws->accessKeyId);
    CPPUNIT_ASSERT_EQUAL(std::string("SECRET"), aws->secretAccessKey);
  }

  void hostMatchIsExactIncludingPort() {
    const Config c = sample();
    CPPUNIT_ASSERT(authHeaders(c, "coreos.com:443").empty());
    CPPUNIT_ASSERT(authHeaders(c, "www.coreos.com").empty());
    CPPUNIT_ASSERT(authHeaders(c, "registry.local").empty());
    CPPUNIT_ASSERT(authFor(c, "unknown.org") == nullptr);
  }

  void urlHeadersOnlyOverHttps() {
    const Config c = sample();
    CPPUNIT_ASSERT(authHeadersForUrl(c, "https://coreos.com/dist/image.aci") ==
                   one("Authorization", "Basic Zm9vOmJhcg=="));
    CPPUNIT_ASSERT(authHeadersForUrl(c, "http://coreos.com/dist/image.aci").empty());
    CPPUNIT_ASSERT(authHeadersForUrl(c, "https://registry.local:5000/v2/") ==
                   one("Authorization", "Basic dXNlcjpwYXNzOndpdGg6Y29sb25z"));
    CPPUNIT_ASSERT(authHeadersForUrl(c, "https://registry.local/v2/").empty());
    CPPUNIT_ASSERT(authHeadersForUrl(c, "https://coreos.com:443/x").empty());
    CPPUNIT_ASSERT(authHeadersForUrl(c, "not a url at all %%%").empty());
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
