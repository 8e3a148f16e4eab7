// support/http: proxy selection from the environment (Go's ProxyFromEnvironment rules).
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/URI.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/proxy.hpp"

using rkt::http::Proxy;
using rkt::http::proxyFor;

class HttpProxyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HttpProxyTest);
  CPPUNIT_TEST(noProxyByDefault);
  CPPUNIT_TEST(schemeSelectsVariable);
  CPPUNIT_TEST(loopbackIsNeverProxied);
  CPPUNIT_TEST(noProxyExclusions);
  CPPUNIT_TEST(credentialsAndBadProxies);
  CPPUNIT_TEST_SUITE_END();

  static constexpr const char* kVars[] = {"HTTP_PROXY",  "http_proxy", "HTTPS_PROXY",
                                          "https_proxy", "NO_PROXY",   "no_proxy"};
  std::map<std::string, std::string> saved_;

  static std::optional<Proxy> proxy(const std::string& url) { return proxyFor(Poco::URI(url)); }

 public:
  void setUp() override {
    for (const char* v : kVars) {
      if (const char* value = std::getenv(v)) {
        saved_[v] = value;
      }
      ::unsetenv(v);
    }
  }

  void tearDown() override {
    for (const char* v : kVars) {
      ::unsetenv(v);
    }
    for (const auto& [name, value] : saved_) {
      ::setenv(name.c_str(), value.c_str(), 1);
    }
  }

  void noProxyByDefault() { CPPUNIT_ASSERT(!proxy("https://example.com/i.aci")); }

  void schemeSelectsVariable() {
    ::setenv("https_proxy", "http://secure-proxy:3128", 1);
    ::setenv("HTTP_PROXY", "plain-proxy:8080", 1);  // no scheme: http
    std::optional<Proxy> p = proxy("https://example.com/i.aci");
    CPPUNIT_ASSERT(p);
    CPPUNIT_ASSERT_EQUAL(std::string("secure-proxy"), p->host);
    CPPUNIT_ASSERT_EQUAL(uint16_t{3128}, p->port);
    p = proxy("http://example.com/i.aci");
    CPPUNIT_ASSERT(p);
    CPPUNIT_ASSERT_EQUAL(std::string("plain-proxy"), p->host);
    CPPUNIT_ASSERT_EQUAL(uint16_t{8080}, p->port);
  }

  void loopbackIsNeverProxied() {
    ::setenv("HTTP_PROXY", "http://proxy:3128", 1);
    for (const char* url : {"http://127.0.0.1:8080/i.aci", "http://localhost/i.aci",
                            "http://127.1.2.3/i.aci", "http://[::1]:80/i.aci"}) {
      CPPUNIT_ASSERT_MESSAGE(url, !proxy(url));
    }
  }

  void noProxyExclusions() {
    ::setenv("HTTPS_PROXY", "http://proxy:3128", 1);
    ::setenv("NO_PROXY", "example.com, .internal,10.1.2.3,special.org:8443", 1);
    CPPUNIT_ASSERT(!proxy("https://example.com/"));
    CPPUNIT_ASSERT(!proxy("https://www.example.com/"));
    CPPUNIT_ASSERT(proxy("https://notexample.com/"));
    CPPUNIT_ASSERT(!proxy("https://a.internal/"));
    CPPUNIT_ASSERT(proxy("https://internal/"));
    CPPUNIT_ASSERT(!proxy("https://10.1.2.3/"));
    CPPUNIT_ASSERT(!proxy("https://special.org:8443/"));
    CPPUNIT_ASSERT(proxy("https://special.org/"));
    ::setenv("NO_PROXY", "*", 1);
    CPPUNIT_ASSERT(!proxy("https://anything.example/"));
  }

  void credentialsAndBadProxies() {
    ::setenv("HTTPS_PROXY", "http://bob:pw@proxy:3128", 1);
    std::optional<Proxy> p = proxy("https://example.com/");
    CPPUNIT_ASSERT(p);
    CPPUNIT_ASSERT_EQUAL(std::string("bob"), p->username);
    CPPUNIT_ASSERT_EQUAL(std::string("pw"), p->password);
    ::setenv("HTTPS_PROXY", "socks5://proxy:1080", 1);
    CPPUNIT_ASSERT_THROW(proxy("https://example.com/"), rkt::sdk::Error);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpProxyTest);
