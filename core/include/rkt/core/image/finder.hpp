// From an image argument to a store key (rkt-notes §4.2): rkt's Finder and Fetcher. An image ID
// is looked up in the store; anything else goes through the pull policy, the store's records and
// the fetcher plugin for its kind, is imported into the store, then its dependencies are brought
// in too and, when asked, the image is rendered into the tree store.
//
//   Finder finder(store, registry, options);
//   Result<std::string> key = finder.findImage("https://example.com/app.aci");
#ifndef RKT_CORE_IMAGE_FINDER_HPP
#define RKT_CORE_IMAGE_FINDER_HPP

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/config.hpp"
#include "rkt/core/image/fetcher_client.hpp"
#include "rkt/core/image/image_string.hpp"
#include "rkt/core/image/store_client.hpp"
#include "rkt/core/insecure_options.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/trust/http_get.hpp"
#include "rkt/core/trust/keystore.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::image {

/// rkt's --pull-policy.
enum class PullPolicy {
  kNever,   ///< the store only
  kNew,     ///< the store, then remote when missing (run/prepare default)
  kUpdate,  ///< remote first; HTTP caching may still reuse the stored image (fetch default)
};

/// "never", "new", "update"; anything else: `invalid pull policy "x" (expected never, new or
/// update)`.
Result<PullPolicy> parsePullPolicy(std::string_view text);
std::string_view pullPolicyName(PullPolicy policy);

/// Whether the kernel offers overlayfs (an `overlay` line in /proc/filesystems): rkt renders
/// images into the tree store at fetch time only then (and only as root).
bool overlaySupported();

/// Receives one progress or warning line (rkt prints them as "image: <line>" on stderr).
using LogLine = std::function<void(const std::string&)>;

struct FinderOptions {
  PullPolicy pullPolicy = PullPolicy::kNew;
  InsecureOptions insecure;
  /// auth.d / dockerAuth for fetchers; nullptr = none. Must outlive the Finder.
  const config::Config* config = nullptr;
  /// The trust store signatures are checked against (rkt-notes §4.5). Required unless
  /// insecure.skipImageCheck() or trustedLocation: a Finder without one refuses to fetch.
  /// Must outlive the Finder.
  const trust::Keystore* keystore = nullptr;
  /// The images come from a location the administrator configured (rkt's stage1 images from
  /// stage1.d / the rkt directory): fetched without signature checks and without a warning.
  bool trustedLocation = false;
  /// Auto-discover and add keys for names without any (rkt's maybeFetchPubKeys); with
  /// --trust-keys-from-https the https keys need no review.
  bool trustKeysFromHttps = false;
  bool debug = false;
  /// Longest silence of any HTTP transfer, the fetchers' included (--http-stall-timeout).
  std::chrono::milliseconds httpStallTimeout = trust::kDefaultHttpStallTimeout;
  /// Bring the dependencies of fetched images into the store (rkt's WithDeps).
  bool withDeps = true;
  /// Render every fetched image (with its dependencies) into the tree store.
  bool render = false;
  LogLine log;       ///< progress lines; may be empty
  LogLine debugLog;  ///< --debug lines; may be empty
};

/// Where a Finder gets its fetchers: in rkt the plugin registry (the Finder constructor taking
/// one); unit tests hand in fakes.
class FetcherSource {
 public:
  virtual ~FetcherSource() = default;
  /// The names of the fetchers open() can try, sorted; loads nothing.
  virtual std::vector<std::string> installed() const = 0;
  /// Loads fetcher `name` and creates an instance (FetcherClient::open).
  virtual Result<FetcherClient> open(const std::string& name) = 0;
};

class Finder {
 public:
  /// `store` and `registry` must outlive the Finder.
  Finder(const StoreClient& store, plugin::PluginRegistry& registry, FinderOptions options);
  /// The fetchers from `fetchers` instead of a registry; both must outlive the Finder.
  Finder(const StoreClient& store, FetcherSource& fetchers, FinderOptions options);
  ~Finder();

  /// The store key of `image` (see classifyImage()); `signature` is a --signature file for it.
  Result<std::string> findImage(const std::string& image, const std::string& signature = "");

 private:
  Result<std::string> fetchSingle(const ImageRef& ref, const std::string& signature);
  /// A local ACI file: always imported.
  Result<std::string> fromFile(const ImageRef& ref, const std::string& signature);
  /// Anything with a download record (http(s) ACIs, docker, scheme fetchers): the store's
  /// record first unless the pull policy is update.
  Result<std::string> fromUrl(const ImageRef& ref, const std::string& signature);
  Result<std::string> fromAppc(const ImageRef& ref, const std::string& signature);
  Result<std::optional<std::string>> storedForUrl(const std::string& url,
                                                  std::optional<RemoteRecord>& record);
  Result<std::string> fetchAndImport(const ImageRef& ref, const std::string& signature,
                                     std::optional<RemoteRecord> remote);
  Status fetchDependencies(const std::string& key);
  /// Name/labels (fetch by name) and signature of a downloaded image, before import.
  Status checkFetched(const ImageRef& ref, const FetchResult& result, bool verify,
                      const std::string& shown);
  /// The store's import of what a fetcher brought: an image file (checked first), or an image
  /// kept as layers (ABI 1.7; never signed).
  Result<ImportResult> importFetched(const ImageRef& ref, const FetchResult& result, bool verify,
                                     const std::string& shown);
  /// rkt's maybeFetchPubKeys: discover and add keys for a name that has none yet.
  void maybeFetchPubKeys(const std::string& name);
  Result<const FetcherClient*> fetcherFor(const ImageRef& ref);
  bool fetcherInstalled(const std::string& name);
  Result<std::string> tmpDir();
  void log(const std::string& line) const;
  void debug(const std::string& line) const;

  const StoreClient& store_;
  std::unique_ptr<FetcherSource> registryFetchers_;  ///< set by the registry constructor
  FetcherSource& fetcherSource_;
  FinderOptions options_;
  std::map<std::string, std::unique_ptr<FetcherClient>> fetchers_;
  std::optional<std::vector<std::string>> installed_;
  std::string tmpDir_;
};

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_FINDER_HPP
