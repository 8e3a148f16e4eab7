// aci-archive: which auth.d credentials go to which URL, and how they are encoded.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/URI.h>

#include <string>
#include <vector>

#include "aci-archive/auth_header.hpp"
#include "rkt/sdk/plugin.hpp"

using rkt::aciarchive::AuthEntry;
using rkt::aciarchive::authorizationFor;
using rkt::aciarchive::hostKey;

class AciArchiveAuthHeaderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AciArchiveAuthHeaderTest);
  CPPUNIT_TEST(hostKeyKeepsExplicitPort);
  CPPUNIT_TEST(basicAndOauth);
  CPPUNIT_TEST(onlyHttpsAndExactHost);
  CPPUNIT_TEST(awsIsNotSupportedYet);
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

  void onlyHttpsAndExactHost() {
    std::vector<AuthEntry> auth = {
        entry({"a.example"}, "basic", {{"user", "alice"}, {"password", "s3cret"}})};
    for (const char* url : {"http://a.example/i.aci", "https://a.example:8443/i.aci",
                            "https://sub.a.example/i.aci", "https://example/i.aci"}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(url, std::string(), authorizationFor(Poco::URI(url), auth));
    }
  }

  void awsIsNotSupportedYet() {
    std::vector<AuthEntry> auth = {
        entry({"s3.example"}, "aws", {{"accessKeyID", "AK"}, {"secretAccessKey", "SK"}})};
    CPPUNIT_ASSERT_EQUAL(RKT_E_UNSUPPORTED, statusOf("https://s3.example/i.aci", auth));
    CPPUNIT_ASSERT_EQUAL(RKT_OK, statusOf("https://other.example/i.aci", auth));
    CPPUNIT_ASSERT_EQUAL(RKT_OK, statusOf("http://s3.example/i.aci", auth));  // never sent
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

CPPUNIT_TEST_SUITE_REGISTRATION(AciArchiveAuthHeaderTest);
