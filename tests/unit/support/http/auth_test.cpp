// support/http: which auth.d credentials go to which URL, and how they are encoded.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/URI.h>

#include <string>
#include <vector>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/auth.hpp"
#include "rkt/support/http/aws_sigv4.hpp"

using rkt::http::AuthEntry;
using rkt::http::authorizationFor;
using rkt::http::AwsCredentials;
using rkt::http::credentialHeadersFor;
using rkt::http::guessAwsRegion;
using rkt::http::hostKey;
using rkt::http::sigV4Authorization;

class HttpAuthTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HttpAuthTest);
  CPPUNIT_TEST(hostKeyKeepsExplicitPort);
  CPPUNIT_TEST(basicAndOauth);
  CPPUNIT_TEST(basicValueIsOneLine);
  CPPUNIT_TEST(onlyHttpsAndExactHost);
  CPPUNIT_TEST(awsRequestsAreSigned);
  CPPUNIT_TEST(sigV4MatchesAwsTestSuite);
  CPPUNIT_TEST(guessesS3Regions);
  CPPUNIT_TEST(incompleteCredentialsAreErrors);
  CPPUNIT_TEST_SUITE_END();

  static AuthEntry entry(std::vector<std::string> domains, std::string type,
                         std::map<std::string, std::string> creds) {
    AuthEntry e;
    e.domains = std::move(domains);
    e.type = std::move(type);
    e.credentials = std::move(creds);
    return e;
  }

  static rkt_status statusOf(const std::string& url, const std::vector<AuthEntry>& auth) {
    try {
      authorizationFor(Poco::URI(url), auth);
    } catch (const rkt::sdk::Error& e) {
      return e.code();
    }
    return RKT_OK;
  }

 public:
  void hostKeyKeepsExplicitPort() {
    CPPUNIT_ASSERT_EQUAL(std::string("example.com"), hostKey(Poco::URI("https://Example.COM/x")));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com:8443"),
                         hostKey(Poco::URI("https://example.com:8443/x")));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com:443"),
                         hostKey(Poco::URI("https://example.com:443/x")));
  }

  void basicAndOauth() {
    std::vector<AuthEntry> auth = {
        entry({"a.example"}, "basic", {{"user", "alice"}, {"password", "s3cret"}}),
        entry({"b.example", "c.example:8443"}, "oauth", {{"token", "t0k"}})};
    CPPUNIT_ASSERT_EQUAL(std::string("Basic YWxpY2U6czNjcmV0"),
                         authorizationFor(Poco::URI("https://a.example/i.aci"), auth));
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer t0k"),
                         authorizationFor(Poco::URI("https://B.example/i.aci"), auth));
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer t0k"),
                         authorizationFor(Poco::URI("https://c.example:8443/i.aci"), auth));
  }

  void basicValueIsOneLine() {
    // configuration.md: foo:bar -> "Authorization: Basic Zm9vOmJhcg=="; colons in the password
    // are kept; long credentials must stay on one header line.
    std::vector<AuthEntry> auth = {
        entry({"coreos.com"}, "basic", {{"user", "foo"}, {"password", "bar"}}),
        entry({"registry.local:5000"}, "basic",
              {{"user", "user"}, {"password", "pass:with:colons"}}),
        entry({"h"}, "basic",
              {{"user", std::string(100, 'u')}, {"password", std::string(100, 'p')}})};
    CPPUNIT_ASSERT_EQUAL(std::string("Basic Zm9vOmJhcg=="),
                         authorizationFor(Poco::URI("https://coreos.com/x"), auth));
    CPPUNIT_ASSERT_EQUAL(std::string("Basic dXNlcjpwYXNzOndpdGg6Y29sb25z"),
                         authorizationFor(Poco::URI("https://registry.local:5000/v2/"), auth));
    const std::string long_ = authorizationFor(Poco::URI("https://h/x"), auth);
    CPPUNIT_ASSERT_EQUAL(std::string::npos, long_.find('\n'));
    // "Basic " + 4 * ceil(201 / 3) characters, no line breaks.
    CPPUNIT_ASSERT_EQUAL(std::size_t(6 + 268), long_.size());
  }

  void onlyHttpsAndExactHost() {
    std::vector<AuthEntry> auth = {
        entry({"a.example"}, "basic", {{"user", "alice"}, {"password", "s3cret"}})};
    for (const char* url : {"http://a.example/i.aci", "https://a.example:8443/i.aci",
                            "https://sub.a.example/i.aci", "https://example/i.aci"}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(url, std::string(), authorizationFor(Poco::URI(url), auth));
    }
  }

  void awsRequestsAreSigned() {
    std::vector<AuthEntry> auth = {
        entry({"s3.example"}, "aws", {{"accessKeyID", "AK"}, {"secretAccessKey", "SK"}})};
    CPPUNIT_ASSERT_EQUAL(RKT_OK, statusOf("https://s3.example/i.aci", auth));
    // 2015-08-30T12:36:00Z
    auto headers =
        credentialHeadersFor("GET", Poco::URI("https://s3.example/b/i.aci"), auth, 1440938160);
    CPPUNIT_ASSERT_EQUAL(size_t{3}, headers.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Authorization"), headers[0].first);
    CPPUNIT_ASSERT(headers[0].second.rfind(
                       "AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/s3/aws4_request, "
                       "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
                       0) == 0);
    CPPUNIT_ASSERT_EQUAL(std::string("20150830T123600Z"), headers[1].second);
    CPPUNIT_ASSERT(credentialHeadersFor("GET", Poco::URI("http://s3.example/i.aci"), auth, 0)
                       .empty());  // never in the clear
    CPPUNIT_ASSERT(
        credentialHeadersFor("GET", Poco::URI("https://other.example/i.aci"), auth, 0).empty());
    std::vector<AuthEntry> noSecret = {entry({"s3.example"}, "aws", {{"accessKeyID", "AK"}})};
    bool threw = false;
    try {
      credentialHeadersFor("GET", Poco::URI("https://s3.example/i.aci"), noSecret, 0);
    } catch (const rkt::sdk::Error&) {
      threw = true;
    }
    CPPUNIT_ASSERT(threw);
  }

  void sigV4MatchesAwsTestSuite() {
    // "get-vanilla" of AWS's Signature Version 4 test suite.
    AwsCredentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
    std::string auth =
        sigV4Authorization("GET", Poco::URI("https://example.amazonaws.com/"),
                           {{"host", "example.amazonaws.com"}, {"x-amz-date", "20150830T123600Z"}},
                           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                           creds, "us-east-1", "service", "20150830T123600Z");
    CPPUNIT_ASSERT_EQUAL(
        std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                    "aws4_request, SignedHeaders=host;x-amz-date, "
                    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        auth);
  }

  void guessesS3Regions() {
    CPPUNIT_ASSERT_EQUAL(std::string("eu-west-1"), guessAwsRegion("s3-eu-west-1.amazonaws.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("eu-west-1"),
                         guessAwsRegion("bucket.s3.eu-west-1.amazonaws.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("us-east-1"), guessAwsRegion("s3.amazonaws.com"));
    CPPUNIT_ASSERT_EQUAL(std::string("us-east-1"), guessAwsRegion("example.com"));
  }

  void incompleteCredentialsAreErrors() {
    CPPUNIT_ASSERT_EQUAL(
        RKT_E_INVALID,
        statusOf("https://a.example/", {entry({"a.example"}, "basic", {{"user", "alice"}})}));
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID,
                         statusOf("https://a.example/", {entry({"a.example"}, "oauth", {})}));
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID,
                         statusOf("https://a.example/", {entry({"a.example"}, "kerberos", {})}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpAuthTest);
