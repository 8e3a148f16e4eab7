// The fetcher protocol of rkt/abi/fetcher.h (ABI 1.1) as C++ values: the request the core sends
// and the result a fetcher returns (the aci-archive and appc fetchers).
#ifndef RKT_SUPPORT_FETCH_FETCH_REQUEST_HPP
#define RKT_SUPPORT_FETCH_FETCH_REQUEST_HPP

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rkt/base/stall_timeout.hpp"
#include "rkt/support/http/auth.hpp"

namespace rkt::fetch {

/// What --insecure-options disabled.
struct InsecureOptions {
  bool image = false;   ///< no signature verification: the signature is not even downloaded
  bool tls = false;     ///< accept any TLS certificate and host name
  bool http = false;    ///< allow plain http:// URLs
  bool pubkey = false;  ///< unused by this fetcher (no key discovery)
};

/// One auth.d entry (kind `auth`), already merged by the core.
using AuthEntry = http::AuthEntry;

/// The store's download record of a URL ("remote" row).
struct RemoteRecord {
  std::string url;
  std::string sigUrl;
  std::string etag;
  std::string key;           ///< image key of the stored copy
  int64_t cacheMaxAge = 0;   ///< seconds; 0 means "always revalidate"
  int64_t downloadTime = 0;  ///< nanoseconds since the Unix epoch
};

struct FetchRequest {
  std::string image;      ///< as the user typed it
  std::string tmpDir;     ///< downloads go here (the store's filesystem)
  std::string signature;  ///< --signature file, may be empty
  InsecureOptions insecure;
  std::vector<AuthEntry> auth;
  std::optional<RemoteRecord> remote;
  bool debug = false;
  /// "http_stall_timeout_ms": a transfer that receives nothing for this long fails.
  std::chrono::milliseconds stallTimeout = kDefaultStallTimeout;
};

struct FetchResult {
  std::string path;           ///< local file holding the image; empty when cachedKey is set
  std::string signaturePath;  ///< detached signature file; empty when there is none
  std::string cachedKey;      ///< the stored image is still valid (max-age or HTTP 304)
  std::optional<RemoteRecord> remote;  ///< record for the core to store (no key: it imports)
  bool latest = false;
};

/// Parses a request. Throws rkt::sdk::Error(RKT_E_INVALID) naming the bad field.
FetchRequest parseFetchRequest(const std::string& json);

/// Serialises a result as the JSON object rkt/abi/fetcher.h describes (empty fields omitted).
std::string toJson(const FetchResult& result);

}  // namespace rkt::fetch

#endif  // RKT_SUPPORT_FETCH_FETCH_REQUEST_HPP
