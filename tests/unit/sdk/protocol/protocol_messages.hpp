// Every message of the plugin protocols (rkt/sdk/protocol/*.hpp) and a sample of each, for the
// codec and schema tests (tests/unit/sdk/protocol/) and the schema validation program
// (tests/sdk/protocol_samples.cpp).
//
//   forEachMessage([](auto tag) { using T = typename decltype(tag)::type; ... });
//   T full = fullSample<T>();      // every field set to something other than its default
//   T least = minimalSample<T>();  // only what the schema requires
#ifndef RKT_TESTS_SDK_PROTOCOL_MESSAGES_HPP
#define RKT_TESTS_SDK_PROTOCOL_MESSAGES_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "rkt/sdk/protocol/cni.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/sdk/protocol/store.hpp"

namespace protocoltest {

namespace p = rkt::protocol;

template <class T>
struct Tag {
  using type = T;
};

/// Calls f(Tag<T>{}) for every message type.
template <class F>
void forEachMessage(F&& f) {
  f(Tag<p::stage1::Config>{});
  f(Tag<p::stage1::RunRequest>{});
  f(Tag<p::stage1::DescribeResult>{});
  f(Tag<p::stage1::EnterRequest>{});
  f(Tag<p::stage1::StopRequest>{});
  f(Tag<p::stage1::GcRequest>{});
  f(Tag<p::stage1::NetInfoList>{});
  f(Tag<p::fetcher::FetchRequest>{});
  f(Tag<p::fetcher::FetchResult>{});
  f(Tag<p::store::Config>{});
  f(Tag<p::store::InfoResult>{});
  f(Tag<p::store::ImportImageRequest>{});
  f(Tag<p::store::ImportImageResult>{});
  f(Tag<p::store::ResolveRequest>{});
  f(Tag<p::store::ResolveResult>{});
  f(Tag<p::store::ListRequest>{});
  f(Tag<p::store::ListResult>{});
  f(Tag<p::store::ManifestRequest>{});
  f(Tag<p::store::BlobRequest>{});
  f(Tag<p::store::BlobResult>{});
  f(Tag<p::store::RemoveRequest>{});
  f(Tag<p::store::RemoveResult>{});
  f(Tag<p::store::RenderRequest>{});
  f(Tag<p::store::RenderResult>{});
  f(Tag<p::store::VerifyRequest>{});
  f(Tag<p::store::VerifyResult>{});
  f(Tag<p::store::ListTreesRequest>{});
  f(Tag<p::store::ListTreesResult>{});
  f(Tag<p::store::RemoveTreeRequest>{});
  f(Tag<p::store::RemoveTreeResult>{});
  f(Tag<p::store::GetRemoteRequest>{});
  f(Tag<p::store::GetRemoteResult>{});
  f(Tag<p::store::PutRemoteRequest>{});
  f(Tag<p::store::PutRemoteResult>{});
  f(Tag<p::store::ImportLayeredImageRequest>{});
  f(Tag<p::store::ImportLayeredImageResult>{});
  f(Tag<p::cni::Request>{});
  f(Tag<p::cni::Result>{});
  f(Tag<p::cni::ErrorObject>{});
  f(Tag<p::cni::VersionResult>{});
}

/// Schemas with no message type: the `manifest` result is the image manifest itself.
inline const std::vector<std::string>& opaqueSchemas() {
  static const std::vector<std::string> names = {"store-manifest-result"};
  return names;
}

/// A sample image manifest (the `manifest` of an import result, and a `manifest` result).
inline std::string sampleManifest() {
  return R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/x",)"
         R"("labels":[{"name":"version","value":"1"}]})";
}

/// Sets every field (`all`) or only the required ones to a value other than the default.
class Filler {
 public:
  explicit Filler(bool all) : all_(all) {}

  template <class M>
  void operator()(const char* name, M& member,
                  rkt::protocol::Presence presence = rkt::protocol::Presence::kOptional) {
    if (all_ || presence == rkt::protocol::Presence::kRequired) {
      fill(member, name);
    }
  }

  template <class M>
  void fill(M& out, const std::string& name) {
    if constexpr (std::is_same_v<M, std::string>) {
      out = "sample-" + name;
    } else if constexpr (std::is_same_v<M, bool>) {
      out = true;
    } else if constexpr (std::is_integral_v<M>) {
      out = static_cast<M>(7);
    } else if constexpr (std::is_same_v<M, p::StringMap>) {
      out = {{"k1", "v1"}, {"k2", "v2"}};
    } else if constexpr (std::is_same_v<M, p::RawJsonObject>) {
      out.text = sampleManifest();
    } else if constexpr (p::detail::IsOptional<M>::value) {
      out.emplace();
      fill(*out, name);
    } else if constexpr (p::detail::IsRecord<M>::value) {
      M::visitFields(*this, out);
    } else {  // std::vector
      out.resize(2);
      for (auto& item : out) {
        fill(item, name);
      }
    }
  }

 private:
  bool all_;
};

/// Values validate() requires that the filler cannot guess.
template <class T>
void makeValid(T& m) {
  namespace s1 = rkt::protocol::stage1;
  if constexpr (std::is_same_v<T, s1::RunRequest> || std::is_same_v<T, s1::EnterRequest> ||
                std::is_same_v<T, s1::StopRequest> || std::is_same_v<T, s1::GcRequest>) {
    m.podDir = "/var/lib/rkt/pods/run/0b6c1a0e";
  }
  if constexpr (std::is_same_v<T, s1::RunRequest>) {
    if (m.dnsConfMode.resolv != "default") {
      m.dnsConfMode = {"stage0", "host"};
    }
  }
  if constexpr (std::is_same_v<T, p::fetcher::FetchResult>) {
    m.path = "/var/lib/rkt/cas/tmp/image.aci";
  }
  if constexpr (std::is_same_v<T, p::store::VerifyResult>) {
    m.status = p::store::VerifyResult::kRebuilt;
  }
  if constexpr (std::is_same_v<T, p::store::ResolveRequest>) {
    if (m.id.empty() && m.name.empty()) {
      m.name = "example.com/x";
    }
  }
}

template <class T>
T sample(bool all) {
  T m{};
  Filler filler(all);
  if constexpr (p::detail::IsArrayMessage<T>::value) {
    if (all) {
      filler.fill(m.items, "items");
    }
  } else {
    T::visitFields(filler, m);
  }
  makeValid(m);
  return m;
}

template <class T>
T fullSample() {
  return sample<T>(true);
}

template <class T>
T minimalSample() {
  return sample<T>(false);
}

}  // namespace protocoltest

#endif  // RKT_TESTS_SDK_PROTOCOL_MESSAGES_HPP
