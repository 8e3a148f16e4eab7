// A typed client for a fetcher plugin (rkt/abi/fetcher.h, ABI 1.1).
#ifndef RKT_CORE_IMAGE_FETCHER_CLIENT_HPP
#define RKT_CORE_IMAGE_FETCHER_CLIENT_HPP

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rkt/core/config.hpp"
#include "rkt/core/image/store_client.hpp"
#include "rkt/core/insecure_options.hpp"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/result.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::image {

struct FetchRequest {
  std::string image;      ///< what the fetcher is asked for (ImageRef::fetchString)
  std::string tmpDir;     ///< the store's download directory
  std::string signature;  ///< --signature file, or empty
  InsecureOptions insecure;
  /// auth.d and dockerAuth credentials are sent from here (nullptr: none).
  const config::Config* config = nullptr;
  std::optional<RemoteRecord> remote;  ///< the store's record for this image, if any
  bool debug = false;
  /// Longest silence of a download ("http_stall_timeout_ms"); 0: the fetcher's default.
  std::chrono::milliseconds httpStallTimeout{0};
};

struct FetchResult {
  std::string path;                    ///< local file holding the image; empty with cachedKey
  std::string signaturePath;           ///< detached signature, or empty
  std::string cachedKey;               ///< the stored image is still valid: nothing was downloaded
  std::optional<RemoteRecord> remote;  ///< download record to store (without key)
  bool latest = false;
};

/// The JSON request of rkt/abi/fetcher.h for `request` (exposed for tests).
std::string fetchRequestJson(const FetchRequest& request);
/// Parses a fetcher's JSON result; it must name a path or a cached key.
Result<FetchResult> parseFetchResult(const std::string& json);

class FetcherClient {
 public:
  /// Loads fetcher plugin `name` through `registry` and creates an instance.
  static Result<FetcherClient> open(plugin::PluginRegistry& registry, const std::string& name);

  explicit FetcherClient(plugin::Instance instance) : instance_(std::move(instance)) {}

  const std::string& name() const { return instance_.factory().name(); }

  Result<FetchResult> fetch(const FetchRequest& request) const;

 private:
  plugin::Instance instance_;
};

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_FETCHER_CLIENT_HPP
