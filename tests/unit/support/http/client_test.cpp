// support/http's client against a local server on 127.0.0.1 (local_server.hpp): what it sends
// (User-Agent, no credentials in the clear, requests through a proxy from the environment), the
// redirect rules, and its one-line errors — the stalled or too slow URL named, too many
// redirects, refused plain-http redirects, oversized pages — as the fetchers and `rkt trust`
// (rkt-http.so) get them.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/URI.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/config/temp_tree.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/support/http/client.hpp"
#include "rkt/support/http/download.hpp"
#include "rkt/support/http/page.hpp"
#include "support/http/local_server.hpp"

namespace {

using rkt::http::HttpClient;
using rkt::http::HttpOptions;
using rkt::test::LocalHttpServer;
using namespace std::chrono_literals;

HttpOptions options() {
  HttpOptions o;
  o.userAgent = "rkt/test";
  return o;
}

// The error getPage throws, or "<page N>" so that an unexpected success shows in the assertion.
std::string pageError(const HttpOptions& o, const std::string& url, size_t maxSize = 1 << 20) {
  HttpClient client(o);
  try {
    return "<page " + std::to_string(rkt::http::getPage(client, url, maxSize).status) + ">";
  } catch (const rkt::sdk::Error& e) {
    return e.what();
  }
}

// Clears the proxy variables for one test and puts them back afterwards.
class ProxyEnvironment {
 public:
  ProxyEnvironment() {
    for (const char* v : kVars) {
      if (const char* value = std::getenv(v))
        saved_[v] = value;
      ::unsetenv(v);
    }
  }
  ~ProxyEnvironment() {
    for (const char* v : kVars)
      ::unsetenv(v);
    for (const auto& [name, value] : saved_)
      ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  static constexpr const char* kVars[] = {"HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"};
  std::map<std::string, std::string> saved_;
};

}  // namespace

class HttpClientTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HttpClientTest);
  CPPUNIT_TEST(getsAPageWithRktsUserAgent);
  CPPUNIT_TEST(followsTenRedirectsButNotEleven);
  CPPUNIT_TEST(refusesARedirectToPlainHttpUnlessAllowed);
  CPPUNIT_TEST(neverSendsCredentialsInTheClear);
  CPPUNIT_TEST(aCallersAuthorizationStaysWithItsHost);
  CPPUNIT_TEST(aStallNamesTheUrlThatStopped);
  CPPUNIT_TEST(theTotalTimeoutEndsAnExchange);
  CPPUNIT_TEST(pagesAreBoundedAndOnlyA200HasABody);
  CPPUNIT_TEST(goesThroughTheProxyFromTheEnvironment);
  CPPUNIT_TEST(refusesOtherSchemes);
  CPPUNIT_TEST(downloadKeepsEtagAndMaxAgeAndHonoursNotModified);
  CPPUNIT_TEST_SUITE_END();

 public:
  void getsAPageWithRktsUserAgent() {
    LocalHttpServer server;
    server.reply("/key.gpg", 200, "KEY");
    HttpClient client(options());
    rkt::http::Page page = rkt::http::getPage(client, server.base() + "/key.gpg");
    CPPUNIT_ASSERT_EQUAL(200, page.status);
    CPPUNIT_ASSERT_EQUAL(std::string("KEY"), page.body);
    auto requests = server.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, requests.size());
    CPPUNIT_ASSERT_EQUAL(std::string("GET"), requests[0].method);
    CPPUNIT_ASSERT_EQUAL(std::string("rkt/test"), requests[0].headers["User-Agent"]);
  }

  void followsTenRedirectsButNotEleven() {
    LocalHttpServer server;
    for (int i = 0; i <= 10; ++i)
      server.redirect("/hop/" + std::to_string(i), "/hop/" + std::to_string(i + 1));
    server.reply("/hop/11", 200, "end");
    HttpOptions allowed = options();
    allowed.allowHttp = true;
    CPPUNIT_ASSERT_EQUAL(std::string("<page 200>"), pageError(allowed, server.base() + "/hop/1"));
    CPPUNIT_ASSERT_EQUAL(std::string("stopped after 10 redirects"),
                         pageError(allowed, server.base() + "/hop/0"));
  }

  void refusesARedirectToPlainHttpUnlessAllowed() {
    LocalHttpServer server;
    server.redirect("/moved", "/here");
    server.reply("/here", 200, "x");
    HttpOptions strict = options();
    strict.allowHttpFlag = "--insecure-allow-http";
    CPPUNIT_ASSERT_EQUAL(
        "redirect to insecure `" + server.base() + "/here` refused (use --insecure-allow-http)",
        pageError(strict, server.base() + "/moved"));
    HttpOptions allowed = options();
    allowed.allowHttp = true;
    CPPUNIT_ASSERT_EQUAL(std::string("<page 200>"), pageError(allowed, server.base() + "/moved"));
  }

  void neverSendsCredentialsInTheClear() {
    LocalHttpServer server;
    server.reply("/i.aci", 200, "x");
    HttpOptions o = options();
    o.auth = {{{server.hostPort()}, "basic", {{"user", "u"}, {"password", "p"}}},
              {{"127.0.0.1"}, "oauth", {{"token", "t"}}}};
    CPPUNIT_ASSERT_EQUAL(std::string("<page 200>"), pageError(o, server.base() + "/i.aci"));
    CPPUNIT_ASSERT_EQUAL(size_t{0}, server.requests().at(0).headers.count("Authorization"));
  }

  // A registry's token (the docker fetcher's own header) follows redirects on its host, never
  // to another one, such as the storage a blob is redirected to.
  void aCallersAuthorizationStaysWithItsHost() {
    LocalHttpServer registry;
    LocalHttpServer storage;
    registry.redirect("/v2/blob", "/v2/moved");
    registry.redirect("/v2/moved", storage.base() + "/signed");
    storage.reply("/signed", 200, "blob");
    HttpOptions o = options();
    o.allowHttp = true;
    HttpClient client(o);
    auto r = client.send("GET", Poco::URI(registry.base() + "/v2/blob"),
                         {{"Authorization", "Bearer t"}, {"Accept", "x"}});
    CPPUNIT_ASSERT_EQUAL(200, r->status());
    auto seen = registry.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{2}, seen.size());
    CPPUNIT_ASSERT_EQUAL(std::string("Bearer t"), seen[1].headers["Authorization"]);
    auto away = storage.requests();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, away.size());
    CPPUNIT_ASSERT_EQUAL(size_t{0}, away[0].headers.count("Authorization"));
    CPPUNIT_ASSERT_EQUAL(std::string("x"), away[0].headers["Accept"]);
  }

  void aStallNamesTheUrlThatStopped() {
    LocalHttpServer server;
    server.stall("/stalled");
    server.redirect("/start", "/stalled");
    HttpOptions o = options();
    o.allowHttp = true;
    o.stallTimeout = 300ms;
    CPPUNIT_ASSERT_EQUAL("no data for 300ms from `" + server.base() + "/stalled`",
                         pageError(o, server.base() + "/start"));
  }

  void theTotalTimeoutEndsAnExchange() {
    LocalHttpServer server;
    server.stall("/stalled");
    HttpOptions o = options();
    o.totalTimeout = 1s;  // shorter than the stall timeout (60s): it is what ends the wait
    CPPUNIT_ASSERT_EQUAL("no complete response within 1s from `" + server.base() + "/stalled`",
                         pageError(o, server.base() + "/stalled"));
  }

  void pagesAreBoundedAndOnlyA200HasABody() {
    LocalHttpServer server;
    server.reply("/big", 200, std::string(100, 'x'));
    server.reply("/gone", 410, "a long explanation");
    CPPUNIT_ASSERT_EQUAL(std::string("response larger than 10 bytes"),
                         pageError(options(), server.base() + "/big", 10));
    HttpClient client(options());
    rkt::http::Page gone = rkt::http::getPage(client, server.base() + "/gone");
    CPPUNIT_ASSERT_EQUAL(410, gone.status);
    CPPUNIT_ASSERT_EQUAL(std::string(), gone.body);
  }

  void goesThroughTheProxyFromTheEnvironment() {
    ProxyEnvironment env;
    LocalHttpServer proxy;
    // The request line a proxy gets: the absolute URL (Poco spells the port out).
    proxy.reply("http://example.test:80/app.html", 200, "via proxy");
    ::setenv("http_proxy", proxy.base().c_str(), 1);
    HttpClient client(options());
    rkt::http::Page page = rkt::http::getPage(client, "http://example.test/app.html");
    CPPUNIT_ASSERT_EQUAL(std::string("via proxy"), page.body);
    CPPUNIT_ASSERT_EQUAL(std::string("http://example.test:80/app.html"),
                         proxy.requests().at(0).target);
    // NO_PROXY names the host: straight there (and nothing listens for example.test).
    ::setenv("NO_PROXY", "example.test", 1);
    CPPUNIT_ASSERT(pageError(options(), "http://example.test/app.html").rfind("<page", 0) != 0);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, proxy.requests().size());
  }

  void refusesOtherSchemes() {
    CPPUNIT_ASSERT_EQUAL(std::string("unsupported URL scheme `ftp`"),
                         pageError(options(), "ftp://127.0.0.1/key.gpg"));
  }

  void downloadKeepsEtagAndMaxAgeAndHonoursNotModified() {
    LocalHttpServer server;
    server.route("/i.aci",
                 [](Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) {
                   res.set("ETag", "\"v1\"");
                   res.set("Cache-Control", "max-age=600");
                   if (req.get("If-None-Match", "") == "\"v1\"") {
                     res.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
                     res.setContentLength(0);
                     res.send();
                     return;
                   }
                   res.setContentLength(5);
                   res.send() << "ACI!!";
                 });
    rkt::test::TempTree tmp;
    HttpClient client(options());
    rkt::http::DownloadSpec spec;
    spec.url = Poco::URI(server.base() + "/i.aci");
    spec.label = "ACI";
    rkt::http::LockedFile file = rkt::http::LockedFile::acquire(tmp.path(), "download");
    rkt::http::DownloadResult first = rkt::http::download(client, file, spec);
    CPPUNIT_ASSERT(first.outcome == rkt::http::DownloadOutcome::kComplete);
    CPPUNIT_ASSERT_EQUAL(std::string("\"v1\""), first.etag);
    CPPUNIT_ASSERT_EQUAL(int64_t{600}, first.maxAge);
    std::ifstream in(file.path());
    std::stringstream content;
    content << in.rdbuf();
    CPPUNIT_ASSERT_EQUAL(std::string("ACI!!"), content.str());

    spec.ifNoneMatch = first.etag;
    file.reset();
    rkt::http::DownloadResult again = rkt::http::download(client, file, spec);
    CPPUNIT_ASSERT(again.outcome == rkt::http::DownloadOutcome::kNotModified);
    CPPUNIT_ASSERT_EQUAL(std::string("\"v1\""), server.requests().back().headers["If-None-Match"]);
    file.discard();
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpClientTest);
