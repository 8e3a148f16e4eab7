// The protocol codec (rkt/sdk/protocol/json.hpp) over the real messages: every message survives
// a round trip, a value of the wrong type or a missing required field is an error naming the
// field, unknown fields and nulls are ignored, and the wire form is what the ABI headers say.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "protocol_messages.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/sdk/protocol/store.hpp"

namespace p = rkt::protocol;

namespace {

// The codec's error for `json` read as T ("" when it decodes).
template <class T>
std::string errorOf(const std::string& json) {
  try {
    p::decode<T>(json);
  } catch (const rkt::sdk::Error& e) {
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, e.code());
    return e.what();
  }
  return "";
}

const char kRun[] = R"("pod_dir":"/p","lock_fd":3)";

}  // namespace

class ProtocolCodecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProtocolCodecTest);
  CPPUNIT_TEST(everyMessageSurvivesARoundTrip);
  CPPUNIT_TEST(wrongTypesNameTheField);
  CPPUNIT_TEST(requiredFieldsAndValidation);
  CPPUNIT_TEST(unknownFieldsAndNullsAreIgnored);
  CPPUNIT_TEST(integersStayInRange);
  CPPUNIT_TEST(malformedDocuments);
  CPPUNIT_TEST(wireFormMatchesTheAbi);
  CPPUNIT_TEST_SUITE_END();

 public:
  void everyMessageSurvivesARoundTrip() {
    protocoltest::forEachMessage([](auto tag) {
      using T = typename decltype(tag)::type;
      for (const T& sample : {protocoltest::fullSample<T>(), protocoltest::minimalSample<T>()}) {
        const std::string once = p::encode(sample);
        const std::string twice = p::encode(p::decode<T>(once));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(T::kWhat, once, twice);
      }
    });
    // The full sample really sets fields: its form differs from the minimal one.
    CPPUNIT_ASSERT(p::encode(protocoltest::fullSample<p::fetcher::FetchRequest>()) !=
                   p::encode(protocoltest::minimalSample<p::fetcher::FetchRequest>()));
    const auto request = p::decode<p::fetcher::FetchRequest>(
        p::encode(protocoltest::fullSample<p::fetcher::FetchRequest>()));
    CPPUNIT_ASSERT_EQUAL(std::string("v2"), request.auth.at(1).credentials.at("k2"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, request.remote->downloadTime);
  }

  void wrongTypesNameTheField() {
    using p::stage1::RunRequest;
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "pod_dir": expected a string)"),
                         errorOf<RunRequest>(R"({"pod_dir":5,"lock_fd":3})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid run request: field "lock_fd": expected an integer)"),
        errorOf<RunRequest>(R"({"pod_dir":"/p","lock_fd":"3"})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "debug": expected a boolean)"),
                         errorOf<RunRequest>(std::string("{") + kRun + R"(,"debug":1})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "net": expected an array)"),
                         errorOf<RunRequest>(std::string("{") + kRun + R"(,"net":"default"})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "net[1]": expected a string)"),
                         errorOf<RunRequest>(std::string("{") + kRun + R"(,"net":["a",2]})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid run request: field "insecure": expected an object)"),
        errorOf<RunRequest>(std::string("{") + kRun + R"(,"insecure":true})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid run request: field "dns_conf_mode.resolv": expected a string)"),
        errorOf<RunRequest>(std::string("{") + kRun + R"(,"dns_conf_mode":{"resolv":[]}})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            R"(invalid fetch request: field "auth[0].credentials.user": expected a string)"),
        errorOf<p::fetcher::FetchRequest>(R"({"image":"x","auth":[{"credentials":{"user":1}}]})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid list result: field "[1].size": expected an integer)"),
        errorOf<p::store::ListResult>(R"([{"size":1},{"size":"big"}])"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid import_image result: field "manifest": expected an object)"),
        errorOf<p::store::ImportImageResult>(R"({"key":"k","manifest":"{}"})"));
  }

  void requiredFieldsAndValidation() {
    using p::stage1::RunRequest;
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "pod_dir": missing)"),
                         errorOf<RunRequest>(R"({"lock_fd":3})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "lock_fd": missing)"),
                         errorOf<RunRequest>(R"({"pod_dir":"/p","lock_fd":null})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "pod_dir": must not be empty)"),
                         errorOf<RunRequest>(R"({"pod_dir":"","lock_fd":3})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid run request: field "pod_dir": must be an absolute path)"),
        errorOf<RunRequest>(R"({"pod_dir":"p","lock_fd":3})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(
            "invalid run request: field \"dns_conf_mode.hosts\": unknown hosts mode `none`"),
        errorOf<RunRequest>(std::string("{") + kRun + R"(,"dns_conf_mode":{"hosts":"none"}})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid enter request: field "command": must not be empty)"),
        errorOf<p::stage1::EnterRequest>(R"({"pod_dir":"/p","pid":1,"command":[]})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid resolve request: field "name": missing (or give "id"))"),
        errorOf<p::store::ResolveRequest>(R"({"labels":{}})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string("invalid verify result: field \"status\": unknown status `gone`"),
        errorOf<p::store::VerifyResult>(R"({"status":"gone"})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid fetch result: field "path": missing (or give "cached_key"))"),
        errorOf<p::fetcher::FetchResult>(R"({"latest":true})"));
    CPPUNIT_ASSERT_EQUAL(std::string(""),
                         errorOf<p::fetcher::FetchResult>(R"({"cached_key":"k"})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid put_remote request: field "key": missing)"),
                         errorOf<p::store::PutRemoteRequest>(R"({"url":"https://x/a.aci"})"));
  }

  void unknownFieldsAndNullsAreIgnored() {
    const auto plain = p::decode<p::stage1::RunRequest>(std::string("{") + kRun + "}");
    const auto extended = p::decode<p::stage1::RunRequest>(
        std::string("{") + kRun +
        R"(,"future":{"x":[1,2]},"dns_conf_mode":{"resolv":"host","later":true},"hostname":null})");
    CPPUNIT_ASSERT_EQUAL(std::string("/p"), extended.podDir);
    CPPUNIT_ASSERT_EQUAL(3, extended.lockFd);
    CPPUNIT_ASSERT_EQUAL(std::string("host"), extended.dnsConfMode.resolv);
    CPPUNIT_ASSERT_EQUAL(std::string("default"), extended.dnsConfMode.hosts);
    CPPUNIT_ASSERT_EQUAL(plain.hostname, extended.hostname);
    CPPUNIT_ASSERT_EQUAL(std::string("auto"), plain.ipc);
    const auto fetch = p::decode<p::fetcher::FetchRequest>(R"({"image":"x","remote":null})");
    CPPUNIT_ASSERT(!fetch.remote);
    // An empty request is {} (the SDK passes "" when the host sent nothing).
    CPPUNIT_ASSERT_EQUAL(std::string(""), errorOf<p::store::ListRequest>(""));
  }

  void integersStayInRange() {
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid run request: field "lock_fd": out of range)"),
        errorOf<p::stage1::RunRequest>(R"({"pod_dir":"/p","lock_fd":4294967296})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid run request: field "lock_fd": out of range)"),
                         errorOf<p::stage1::RunRequest>(R"({"pod_dir":"/p","lock_fd":-1})"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid enter request: field "pid": out of range)"),
        errorOf<p::stage1::EnterRequest>(R"({"pod_dir":"/p","pid":0,"command":["x"]})"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(invalid list result: field "[0].size": out of range)"),
                         errorOf<p::store::ListResult>(R"([{"size":18446744073709551615}])"));
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"(invalid list result: field "[0].size": expected an integer)"),
        errorOf<p::store::ListResult>(R"([{"size":1.5}])"));
    const auto big =
        p::decode<p::store::GetRemoteResult>(R"({"download_time":1700000000123456789})");
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1700000000123456789}, big.downloadTime);
  }

  void malformedDocuments() {
    CPPUNIT_ASSERT(
        errorOf<p::stage1::StopRequest>("{").find("invalid stop request: malformed JSON") == 0);
    CPPUNIT_ASSERT_EQUAL(std::string("invalid stop request: not a JSON object"),
                         errorOf<p::stage1::StopRequest>("[]"));
    CPPUNIT_ASSERT_EQUAL(std::string("invalid list result: not a JSON array"),
                         errorOf<p::store::ListResult>("{}"));
    CPPUNIT_ASSERT(errorOf<p::store::ListResult>("").find("invalid list result: malformed JSON") ==
                   0);
  }

  void wireFormMatchesTheAbi() {
    // What rkt/abi/*.h describe, byte for byte: fields in the documented order, empty optional
    // strings of results left out.
    p::fetcher::FetchResult cached;
    cached.cachedKey = "sha512-ab";
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"cached_key":"sha512-ab","latest":false})"),
                         p::encode(cached));
    p::stage1::StopRequest stop{"/p", "u", true};
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"pod_dir":"/p","uuid":"u","force":true})"),
                         p::encode(stop));
    p::fetcher::FetchRequest fetch;
    fetch.image = "x.aci";
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"image":"x.aci","tmp_dir":"","insecure":{"image":false,"tls":false,)"
                    R"("http":false,"pubkey":false},"auth":[],"docker_auth":[],"debug":false})"),
        p::encode(fetch));
    p::store::ResolveRequest byName;
    byName.name = "example.com/x";
    byName.labels = p::store::LabelMap{{"version", "1"}};
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"name":"example.com/x","labels":{"version":"1"}})"),
                         p::encode(byName));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"id":"sha512-ab"})"),
                         p::encode(p::store::ResolveRequest{"sha512-ab", "", std::nullopt}));
    CPPUNIT_ASSERT_EQUAL(std::string("{}"), p::encode(p::store::RemoveResult{}));
    // An embedded manifest keeps its key order.
    p::store::ImportImageResult imported;
    imported.key = "sha512-ab";
    imported.manifest.text = R"({"z":1, "a":{"y":2,"b":3}})";
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"key":"sha512-ab","manifest":{"z":1,"a":{"y":2,"b":3}}})"),
                         p::encode(imported));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"z":1,"a":{"y":2,"b":3}})"),
                         p::decode<p::store::ImportImageResult>(p::encode(imported)).manifest.text);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProtocolCodecTest);
