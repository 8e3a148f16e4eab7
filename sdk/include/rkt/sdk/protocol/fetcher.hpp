// The fetcher protocol (rkt/abi/fetcher.h) as C++ types, read and written with
// rkt/sdk/protocol/json.hpp. The JSON Schema of each message is sdk/schema/<kSchema>.schema.json
// (installed with the SDK).
//
//   std::string MyFetcher::fetch(const std::string& json) {
//     const auto req = rkt::protocol::decode<rkt::protocol::fetcher::FetchRequest>(json);
//     rkt::protocol::fetcher::FetchResult result;
//     result.path = download(req.image, req.tmpDir);
//     return rkt::protocol::encode(result);
//   }
#ifndef RKT_SDK_PROTOCOL_FETCHER_HPP
#define RKT_SDK_PROTOCOL_FETCHER_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rkt/sdk/protocol/json.hpp"
#include "rkt/sdk/protocol/store.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::protocol::fetcher {

using store::RemoteRecord;

/// What --insecure-options turned off for this fetch.
struct FetchInsecureOptions {
  bool image = false;   ///< no signature verification: the signature is not even downloaded
  bool tls = false;     ///< accept any TLS certificate and host name
  bool http = false;    ///< discovery over plain http, redirects from https to http
  bool pubkey = false;  ///< accept public keys fetched insecurely

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("image", s.image);
    v("tls", s.tls);
    v("http", s.http);
    v("pubkey", s.pubkey);
  }
};

/// One auth.d entry (kind `auth`), already merged by the core.
struct AuthEntry {
  std::vector<std::string> domains;  ///< host[:port], matched exactly against the URL
  std::string type;                  ///< basic | oauth | aws
  /// basic: user, password; oauth: token; aws: accessKeyID, secretAccessKey, awsRegion.
  StringMap credentials;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("domains", s.domains);
    v("type", s.type);
    v("credentials", s.credentials);
  }
};

/// One dockerAuth entry (kind `dockerAuth`).
struct DockerAuthEntry {
  std::vector<std::string> registries;
  StringMap credentials;  ///< user, password

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("registries", s.registries);
    v("credentials", s.credentials);
  }
};

/// `fetch`: find one image and bring its bytes to the host.
struct FetchRequest {
  static constexpr const char* kWhat = "fetch request";
  static constexpr const char* kSchema = "fetcher-fetch-request";

  std::string image;   ///< the image string as the user typed it
  std::string tmpDir;  ///< directory for downloads, on the store's filesystem
  FetchInsecureOptions insecure;
  std::vector<AuthEntry> auth;
  std::vector<DockerAuthEntry> dockerAuth;
  std::optional<RemoteRecord> remote;  ///< the store's record for this image, when it has one
  std::string signature;               ///< the file given with --signature
  bool debug = false;
  /// ABI 1.3: a transfer that receives nothing for this long fails; 0 (absent): the fetcher's
  /// default (--http-stall-timeout).
  std::int64_t httpStallTimeoutMs = 0;
  /// ABI 1.7: layer digests the store holds already: a fetcher of images kept as layers need
  /// not download them (it still lists them in the result's `layers`, with any path).
  std::vector<std::string> knownLayers;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("image", s.image, Presence::kRequired);
    v("tmp_dir", s.tmpDir);
    v("insecure", s.insecure);
    v("auth", s.auth);
    v("docker_auth", s.dockerAuth);
    v("remote", s.remote);
    v("signature", s.signature, Presence::kOmitEmpty);
    v("debug", s.debug);
    v("http_stall_timeout_ms", s.httpStallTimeoutMs, Presence::kOmitEmpty);
    v("known_layers", s.knownLayers, Presence::kOmitEmpty);
  }
};

/// `fetch`'s result: a local file, or the key of the stored image that is still valid. Files
/// the plugin leaves under tmp_dir belong to the caller, who removes them.
struct FetchResult {
  static constexpr const char* kWhat = "fetch result";
  static constexpr const char* kSchema = "fetcher-fetch-result";

  std::string path;           ///< absolute path of a local file holding the image
  std::string signaturePath;  ///< detached signature file, when there is one
  std::string cachedKey;      ///< the stored image is still valid (HTTP 304, max-age): no path
  std::optional<RemoteRecord> remote;  ///< download record to store (no key: the core imports)
  bool latest = false;
  /// ABI 1.7: an image kept as layers instead of `path`: its appc manifest and its layer blobs
  /// (bottom first, under tmp_dir or in a local layout), for the store's import_layered_image.
  RawJsonObject manifest;
  std::vector<store::LayerSource> layers;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("path", s.path, Presence::kOmitEmpty);
    v("signature_path", s.signaturePath, Presence::kOmitEmpty);
    v("cached_key", s.cachedKey, Presence::kOmitEmpty);
    v("remote", s.remote);
    v("latest", s.latest);
    v("manifest", s.manifest, Presence::kOmitEmpty);
    v("layers", s.layers, Presence::kOmitEmpty);
  }

  static void validate(const FetchResult& r) {
    if (!r.layers.empty() && r.manifest.text.empty()) {
      invalidField<FetchResult>("manifest", "missing (the image of \"layers\")");
    }
    if (r.path.empty() && r.cachedKey.empty() && r.layers.empty()) {
      invalidField<FetchResult>("path", "missing (or give \"cached_key\")");
    }
    if (!r.path.empty() && r.path.front() != '/') {
      invalidField<FetchResult>("path", "must be an absolute path");
    }
  }
};

}  // namespace rkt::protocol::fetcher

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_PROTOCOL_FETCHER_HPP
