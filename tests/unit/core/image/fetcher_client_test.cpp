// The fetcher protocol as the core speaks it (rkt/abi/fetcher.h, rkt/sdk/protocol/fetcher.hpp):
// the request built from configuration and flags, and results checked.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>

#include "rkt/core/image/fetcher_client.hpp"
#include "rkt/core/plugin/protocol.hpp"

using namespace rkt::image;

class FetcherClientTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FetcherClientTest);
  CPPUNIT_TEST(requestCarriesEverything);
  CPPUNIT_TEST(parsesResults);
  CPPUNIT_TEST(rejectsMalformedResults);
  CPPUNIT_TEST_SUITE_END();

 public:
  void requestCarriesEverything() {
    rkt::config::Config config;
    config.authPerHost["example.com"] = rkt::config::BasicCredentials{"u", "p"};
    config.authPerHost["tok.example.com"] = rkt::config::OAuthCredentials{"t"};
    config.dockerCredentialsPerRegistry["quay.io"] = rkt::config::BasicCredentials{"du", "dp"};
    FetchRequest r;
    r.image = "https://example.com/a.aci";
    r.tmpDir = "/var/lib/rkt/cas/tmp";
    r.signature = "/tmp/a.asc";
    r.insecure = fetchInsecureOptions(*rkt::InsecureOptions::parse("image,http"));
    setFetchCredentials(r, config);
    RemoteRecord rem;
    rem.url = r.image;
    rem.etag = "\"e\"";
    rem.key = "sha512-" + std::string(64, 'a');
    rem.cacheMaxAge = 60;
    rem.downloadTime = 123;
    r.remote = rem;
    r.debug = true;
    r.httpStallTimeoutMs = 2500;
    Poco::JSON::Parser p;
    auto o = p.parse(rkt::protocol::encode(r)).extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL(r.image, o->getValue<std::string>("image"));
    CPPUNIT_ASSERT_EQUAL(r.tmpDir, o->getValue<std::string>("tmp_dir"));
    CPPUNIT_ASSERT_EQUAL(r.signature, o->getValue<std::string>("signature"));
    auto ins = o->getObject("insecure");
    CPPUNIT_ASSERT(ins->getValue<bool>("image"));
    CPPUNIT_ASSERT(ins->getValue<bool>("http"));
    CPPUNIT_ASSERT(!ins->getValue<bool>("tls"));
    CPPUNIT_ASSERT(!ins->getValue<bool>("pubkey"));
    auto auth = o->getArray("auth");
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, auth->size());
    auto first = auth->getObject(0);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com"),
                         first->getArray("domains")->getElement<std::string>(0));
    CPPUNIT_ASSERT_EQUAL(std::string("basic"), first->getValue<std::string>("type"));
    CPPUNIT_ASSERT_EQUAL(std::string("u"),
                         first->getObject("credentials")->getValue<std::string>("user"));
    CPPUNIT_ASSERT_EQUAL(std::string("oauth"), auth->getObject(1)->getValue<std::string>("type"));
    auto docker = o->getArray("docker_auth");
    CPPUNIT_ASSERT_EQUAL(std::string("quay.io"),
                         docker->getObject(0)->getArray("registries")->getElement<std::string>(0));
    auto remote = o->getObject("remote");
    CPPUNIT_ASSERT_EQUAL(rem.key, remote->getValue<std::string>("key"));
    CPPUNIT_ASSERT_EQUAL(60, remote->getValue<int>("cache_max_age"));
    CPPUNIT_ASSERT(o->getValue<bool>("debug"));
    CPPUNIT_ASSERT_EQUAL(2500, o->getValue<int>("http_stall_timeout_ms"));
    // Without a stall timeout the field is left out: the fetcher's default applies.
    FetchRequest bare;
    bare.image = "x.aci";
    auto b = p.parse(rkt::protocol::encode(bare)).extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT(!b->has("http_stall_timeout_ms"));
  }

  static rkt::Result<FetchResult> parseFetchResult(const std::string& json) {
    return rkt::plugin::decodeMessage<FetchResult>(json);
  }

  void parsesResults() {
    auto r = parseFetchResult(
        R"({"path":"/t/x.aci","signature_path":"/t/x.asc","remote":{"url":"u","sig_url":"s","etag":"e","cache_max_age":5,"download_time":9},"latest":true})");
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("/t/x.aci"), r->path);
    CPPUNIT_ASSERT_EQUAL(std::string("/t/x.asc"), r->signaturePath);
    CPPUNIT_ASSERT(r->remote.has_value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, r->remote->cacheMaxAge);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{9}, r->remote->downloadTime);
    CPPUNIT_ASSERT(r->latest);
    auto cached = parseFetchResult(R"({"cached_key":"sha512-ab","latest":false,"extra":1})");
    CPPUNIT_ASSERT(cached.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-ab"), cached->cachedKey);
    CPPUNIT_ASSERT(!cached->remote);
  }

  void rejectsMalformedResults() {
    CPPUNIT_ASSERT(!parseFetchResult("").ok());
    CPPUNIT_ASSERT(!parseFetchResult("[]").ok());
    CPPUNIT_ASSERT(!parseFetchResult(R"({"latest":false})").ok());
    CPPUNIT_ASSERT(!parseFetchResult(R"({"path":"relative.aci"})").ok());
    CPPUNIT_ASSERT(!parseFetchResult(R"({"path":5})").ok());
    CPPUNIT_ASSERT(!parseFetchResult(R"({"path":"/x","remote":{"cache_max_age":"x"}})").ok());
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid fetch result: field \"remote.cache_max_age\": expected an integer"),
        parseFetchResult(R"({"path":"/x","remote":{"cache_max_age":"x"}})").error().message);
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid fetch result: field \"path\": must be an absolute path"),
        parseFetchResult(R"({"path":"relative.aci"})").error().message);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FetcherClientTest);
