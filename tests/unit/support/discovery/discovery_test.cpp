// appc discovery without a network: image strings, meta tags, templates and the prefix walk.
#include <cppunit/extensions/HelperMacros.h>

#include <map>

#include "rkt/discovery/discovery.hpp"

using namespace rkt::discovery;

namespace {

// Serves `pages` (URL -> body); anything else is a 404.
PageFetcher fakeServer(const std::map<std::string, std::string>& pages,
                       std::vector<std::string>* requested) {
  return [pages, requested](const std::string& url) -> rkt::Result<Page> {
    requested->push_back(url);
    auto it = pages.find(url);
    if (it == pages.end()) {
      return Page{404, ""};
    }
    return Page{200, it->second};
  };
}

}  // namespace

class DiscoveryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DiscoveryTest);
  CPPUNIT_TEST(parsesImageStrings);
  CPPUNIT_TEST(refusesBadImageStrings);
  CPPUNIT_TEST(readsMetaTagsWithAnHtmlParser);
  CPPUNIT_TEST(survivesHostilePages);
  CPPUNIT_TEST(rendersTemplates);
  CPPUNIT_TEST(walksPrefixesLongestFirst);
  CPPUNIT_TEST(httpOnlyWhenAllowed);
  CPPUNIT_TEST(discoversPublicKeys);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesImageStrings() {
    auto a = parseApp("example.com/app:1.0,os=linux,channel=a%20b");
    CPPUNIT_ASSERT(a.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app"), a->name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), a->labels.at("version"));
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), a->labels.at("os"));
    CPPUNIT_ASSERT_EQUAL(std::string("a b"), a->labels.at("channel"));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app:1.0,channel=a b,os=linux"), a->toString());
    auto b = parseApp("example.com/app");
    CPPUNIT_ASSERT(b.ok());
    CPPUNIT_ASSERT(b->labels.empty());
  }

  void refusesBadImageStrings() {
    CPPUNIT_ASSERT(!parseApp("Example.com/App").ok());
    CPPUNIT_ASSERT(!parseApp("example.com/app:1:2").ok());  // two versions
    CPPUNIT_ASSERT(!parseApp("example.com/app,version=1,version=2").ok());
    CPPUNIT_ASSERT(!parseApp("example.com/app,Bad Label=1").ok());
    CPPUNIT_ASSERT(!parseApp("example.com/app,x=%zz").ok());
    CPPUNIT_ASSERT(!parseApp("").ok());
  }

  void readsMetaTagsWithAnHtmlParser() {
    auto tags = parseMetaTags(
        "<!DOCTYPE html><html><head>\n"
        "<META name=\"ac-discovery\" content=\"example.com "
        "https://example.com/{name}-{version}.{ext}\">\n"
        "<meta content='example.com  https://example.com/pubkeys.gpg ' "
        "name='ac-discovery-pubkeys'/>\n"
        "<meta name=\"description\" content=\"example.com not-an-ac-tag\">\n"
        "<meta name=\"ac-discovery\" content=\"onlyprefix\">\n"
        "<!-- <meta name=\"ac-discovery\" content=\"x.com https://commented.out/{ext}\"> -->\n"
        "</head><body><meta name=ac-discovery content=\"example.com/b "
        "https://b/{ext}\"></body></html>");
    CPPUNIT_ASSERT_EQUAL(size_t{3}, tags.size());
    CPPUNIT_ASSERT_EQUAL(std::string("ac-discovery"), tags[0].name);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com"), tags[0].prefix);
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/{name}-{version}.{ext}"), tags[0].uri);
    CPPUNIT_ASSERT_EQUAL(std::string("ac-discovery-pubkeys"), tags[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/pubkeys.gpg"), tags[1].uri);
    CPPUNIT_ASSERT_EQUAL(std::string("https://b/{ext}"), tags[2].uri);
  }

  void survivesHostilePages() {
    CPPUNIT_ASSERT(parseMetaTags("").empty());
    CPPUNIT_ASSERT(parseMetaTags(std::string("\0\0\xff\xfe<meta", 9)).empty());
    std::string deep;
    for (int i = 0; i < 100000; ++i)
      deep += "<div>";
    deep += "<meta name=\"ac-discovery\" content=\"a b\">";
    parseMetaTags(deep);  // must not crash; whether it finds the tag is the parser's business
    CPPUNIT_ASSERT(parseMetaTags("<meta name=\"ac-discovery\" content=\"<script>\">").empty());
  }

  void rendersTemplates() {
    App app{"example.com/app", {{"version", "1.0"}, {"os", "linux"}, {"arch", "amd64"}}};
    CPPUNIT_ASSERT_EQUAL(
        std::string("https://h/linux/amd64/example.com/app-1.0.aci"),
        *renderTemplate("https://h/{os}/{arch}/{name}-{version}.{ext}", app, "aci"));
    CPPUNIT_ASSERT(!renderTemplate("https://h/{name}-{channel}.{ext}", app, "aci").has_value());
  }

  void walksPrefixesLongestFirst() {
    std::vector<std::string> requested;
    auto fetch = fakeServer(
        {{"https://example.com/?ac-discovery=1",
          "<meta name=\"ac-discovery\" content=\"example.com/a https://x/{channel}.{ext}\">"
          "<meta name=\"ac-discovery\" content=\"example.com/a https://x/{name}-{version}.{ext}\">"
          "<meta name=\"ac-discovery\" content=\"other.org https://wrong/{ext}\">"}},
        &requested);
    App app{"example.com/a/b", {}};
    std::vector<FailedAttempt> attempts;
    auto eps = discoverEndpoints(app, fetch, Options{}, &attempts);
    CPPUNIT_ASSERT_MESSAGE(eps ? "" : eps.error().message, eps.ok());
    CPPUNIT_ASSERT_EQUAL(size_t{1}, eps->aci.size());
    CPPUNIT_ASSERT_EQUAL(std::string("https://x/example.com/a/b-latest.aci"), eps->aci[0].aci);
    CPPUNIT_ASSERT_EQUAL(std::string("https://x/example.com/a/b-latest.aci.asc"), eps->aci[0].asc);
    CPPUNIT_ASSERT((requested == std::vector<std::string>{"https://example.com/a/b?ac-discovery=1",
                                                          "https://example.com/a?ac-discovery=1",
                                                          "https://example.com/?ac-discovery=1"}));
    CPPUNIT_ASSERT_EQUAL(size_t{2}, attempts.size());
    std::vector<std::string> none;
    auto nothing = discoverEndpoints(App{"other.net/x", {}}, fakeServer({}, &none), Options{});
    CPPUNIT_ASSERT(!nothing.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("no endpoints discovered"), nothing.error().message);
  }

  void httpOnlyWhenAllowed() {
    std::map<std::string, std::string> pages{
        {"http://example.com/?ac-discovery=1",
         "<meta name=\"ac-discovery\" content=\"example.com http://x/{name}.{ext}\">"}};
    std::vector<std::string> requested;
    CPPUNIT_ASSERT(
        !discoverEndpoints(App{"example.com", {}}, fakeServer(pages, &requested), Options{false})
             .ok());
    auto eps =
        discoverEndpoints(App{"example.com", {}}, fakeServer(pages, &requested), Options{true});
    CPPUNIT_ASSERT(eps.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("http://x/example.com.aci"), eps->aci[0].aci);
  }

  void discoversPublicKeys() {
    std::vector<std::string> requested;
    auto fetch = fakeServer({{"https://example.com/app?ac-discovery=1",
                              "<meta name=\"ac-discovery-pubkeys\" content=\"example.com "
                              "https://example.com/k.gpg\">"}},
                            &requested);
    auto keys = discoverPublicKeys(App{"example.com/app", {}}, fetch, Options{});
    CPPUNIT_ASSERT(keys.ok());
    CPPUNIT_ASSERT((*keys == std::vector<std::string>{"https://example.com/k.gpg"}));
    CPPUNIT_ASSERT_EQUAL(size_t{1}, requested.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DiscoveryTest);
