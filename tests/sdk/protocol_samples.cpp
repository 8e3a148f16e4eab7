// Prints the codec's output for samples of every protocol message, one JSON line each, for
// validate_protocol_samples.py to check against the published schemas (sdk/schema/):
//   {"schema": "<name>", "sample": "full|minimal|refused", "message": <JSON>}
// "refused" lines are documents the codec rejects (checked here), which the schema must reject
// too. Exits 1 when the codec accepts one of them.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "protocol_messages.hpp"

namespace p = rkt::protocol;

namespace {

void print(const std::string& schema, const char* sample, const std::string& json) {
  std::cout << R"({"schema":")" << schema << R"(","sample":")" << sample << R"(","message":)"
            << json << "}\n";
}

// Prints `json` as a refused sample of T; false when the codec accepts it.
template <class T>
bool refused(const std::string& json) {
  try {
    p::decode<T>(json);
  } catch (const rkt::sdk::Error&) {
    print(T::kSchema, "refused", json);
    return true;
  }
  std::cerr << "the codec accepts " << T::kSchema << " " << json << "\n";
  return false;
}

}  // namespace

int main() {
  protocoltest::forEachMessage([](auto tag) {
    using T = typename decltype(tag)::type;
    print(T::kSchema, "full", p::encode(protocoltest::fullSample<T>()));
    print(T::kSchema, "minimal", p::encode(protocoltest::minimalSample<T>()));
  });
  print("store-manifest-result", "full", protocoltest::sampleManifest());

  namespace s1 = p::stage1;
  namespace st = p::store;
  bool ok =
      refused<s1::RunRequest>(R"({"lock_fd":3})") &&
      refused<s1::RunRequest>(R"({"pod_dir":"p","lock_fd":3})") &&
      refused<s1::RunRequest>(R"({"pod_dir":"/p","lock_fd":-1})") &&
      refused<s1::RunRequest>(R"({"pod_dir":"/p","lock_fd":"3"})") &&
      refused<s1::RunRequest>(R"({"pod_dir":"/p","lock_fd":3,"net":[1]})") &&
      refused<s1::RunRequest>(R"({"pod_dir":"/p","lock_fd":3,"dns_conf_mode":{"resolv":"x"}})") &&
      refused<s1::EnterRequest>(R"({"pod_dir":"/p","pid":0,"command":["sh"]})") &&
      refused<s1::EnterRequest>(R"({"pod_dir":"/p","pid":1,"command":[]})") &&
      refused<s1::DescribeResult>(R"({"max_apps":"1"})") &&
      refused<p::fetcher::FetchRequest>(R"({"image":""})") &&
      refused<p::fetcher::FetchResult>(R"({"latest":true})") &&
      refused<p::fetcher::FetchResult>(R"({"path":"relative.aci"})") &&
      refused<st::ImportImageRequest>(R"({"path":""})") &&
      refused<st::ResolveRequest>(R"({"labels":{"version":"1"}})") &&
      refused<st::ResolveRequest>(R"({"name":"x","labels":{"version":1}})") &&
      refused<st::VerifyResult>(R"({"status":"gone"})") &&
      refused<st::PutRemoteRequest>(R"({"url":"https://example.com/a.aci"})") &&
      refused<st::ListResult>(R"([{"size":"big"}])");
  return ok ? 0 : 1;
}
