// support/fetch: the fetcher protocol (rkt/sdk/protocol/fetcher.hpp) as the fetchers read their
// requests and write their results, the stall timeout they take from a request, and the names
// of the files they pick.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/fetch/local_image.hpp"
#include "rkt/support/fetch/stall_timeout.hpp"
#include "rkt/support/http/locked_file.hpp"

using namespace rkt::fetch;
using rkt::http::keyOf;
using rkt::protocol::fetcher::RemoteRecord;

namespace {
FetchRequest parseFetchRequest(const std::string& json) {
  return rkt::protocol::decode<FetchRequest>(json);
}
std::string toJson(const FetchResult& result) {
  return rkt::protocol::encode(result);
}
}  // namespace

class FetchRequestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FetchRequestTest);
  CPPUNIT_TEST(parsesEveryField);
  CPPUNIT_TEST(minimalRequest);
  CPPUNIT_TEST(rejectsWrongTypes);
  CPPUNIT_TEST(resultJson);
  CPPUNIT_TEST(signatureAndDownloadNames);
  CPPUNIT_TEST_SUITE_END();

  static std::string errorOf(const std::string& json) {
    try {
      parseFetchRequest(json);
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, e.code());
      return e.what();
    }
    return "";
  }

 public:
  void parsesEveryField() {
    FetchRequest r = parseFetchRequest(R"({
      "image": "https://example.com/a.aci", "tmp_dir": "/var/lib/rkt/cas/tmp",
      "insecure": {"image": true, "tls": false, "http": true, "pubkey": true},
      "auth": [{"domains": ["example.com", "x:1"], "type": "basic",
                "credentials": {"user": "u", "password": "p"}}],
      "docker_auth": [], "unknown": 1,
      "remote": {"url": "https://example.com/a.aci", "etag": "\"e\"", "key": "sha512-aa",
                 "cache_max_age": 60, "download_time": 1700000000123456789},
      "signature": "/tmp/a.asc", "debug": true, "http_stall_timeout_ms": 2000})");
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com/a.aci"), r.image);
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rkt/cas/tmp"), r.tmpDir);
    CPPUNIT_ASSERT(r.insecure.image && !r.insecure.tls && r.insecure.http && r.insecure.pubkey);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, r.auth.size());
    CPPUNIT_ASSERT_EQUAL(std::string("x:1"), r.auth[0].domains[1]);
    CPPUNIT_ASSERT_EQUAL(std::string("p"), r.auth[0].credentials.at("password"));
    CPPUNIT_ASSERT(r.remote);
    CPPUNIT_ASSERT_EQUAL(std::string("\"e\""), r.remote->etag);
    CPPUNIT_ASSERT_EQUAL(int64_t{60}, r.remote->cacheMaxAge);
    CPPUNIT_ASSERT_EQUAL(int64_t{1700000000123456789}, r.remote->downloadTime);
    CPPUNIT_ASSERT_EQUAL(std::string("/tmp/a.asc"), r.signature);
    CPPUNIT_ASSERT(r.debug);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{2000}, static_cast<std::int64_t>(stallTimeoutOf(r).count()));
  }

  void minimalRequest() {
    FetchRequest r = parseFetchRequest(R"({"image": "x.aci", "remote": null})");
    CPPUNIT_ASSERT(!r.remote);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{60'000},
                         static_cast<std::int64_t>(stallTimeoutOf(r).count()));
    CPPUNIT_ASSERT(!r.insecure.http);
    CPPUNIT_ASSERT(r.auth.empty());
  }

  void rejectsWrongTypes() {
    CPPUNIT_ASSERT_EQUAL(std::string("invalid fetch request: field \"image\": missing"),
                         errorOf("{}"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid fetch request: field \"insecure.tls\": expected a boolean"),
        errorOf(R"({"image": "a", "insecure": {"tls": "yes"}})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid fetch request: field \"remote.cache_max_age\": expected an integer"),
        errorOf(R"({"image": "a", "remote": {"cache_max_age": "60"}})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid fetch request: field \"auth[0].domains[0]\": expected a string"),
        errorOf(R"({"image": "a", "auth": [{"domains": [1]}]})"));
    CPPUNIT_ASSERT(errorOf("[1]").find("not a JSON object") != std::string::npos);
    CPPUNIT_ASSERT(!errorOf("{").empty());
  }

  void resultJson() {
    FetchResult cached;
    cached.cachedKey = "sha512-ab";
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"cached_key":"sha512-ab","latest":false})"),
                         toJson(cached));
    FetchResult downloaded;
    downloaded.path = "/tmp/x.aci";
    downloaded.signaturePath = "/tmp/x.asc";
    RemoteRecord rec;
    rec.url = "https://e/x.aci";
    rec.sigUrl = "https://e/x.aci.asc";
    rec.etag = "\"1\"";
    rec.cacheMaxAge = 5;
    rec.downloadTime = 42;
    downloaded.remote = rec;
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"path":"/tmp/x.aci","signature_path":"/tmp/x.asc",)"
                                     R"("remote":{"url":"https://e/x.aci","sig_url":)"
                                     R"("https://e/x.aci.asc","etag":"\"1\"","cache_max_age":5,)"
                                     R"("download_time":42},"latest":false})"),
                         toJson(downloaded));
  }

  void signatureAndDownloadNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("/a/img.aci.asc"), ascPathFor("/a/img.aci"));
    CPPUNIT_ASSERT_EQUAL(std::string("/a/img.aci.asc"), ascPathFor("/a/img"));
    CPPUNIT_ASSERT_EQUAL(std::string("/a/img.tar.aci.asc"), ascPathFor("/a/img.tar"));
    // sha512("abc"), first 64 hex digits
    CPPUNIT_ASSERT_EQUAL(
        std::string("sha512-ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"),
        keyOf("abc"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FetchRequestTest);
