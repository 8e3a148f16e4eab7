// A typed client for an image store plugin (rkt/abi/store.h, ABI 1.1): each method sends one
// JSON request to the store instance and parses its JSON result.
//
//   plugin::PluginRegistry registry(plugin::defaultSearchPath(config.paths.plugins));
//   Result<StoreClient> store = StoreClient::open(registry, dataDir);   // the `cas` store
//   Result<std::string> key = store->resolveId("sha512-4f2a");
//
// Errors carry the plugin's one-line message. Lookups whose "not found" is an expected outcome
// return std::optional (nullopt = RKT_E_NOT_FOUND); elsewhere "not found" is an error with
// rkt's wording for it.
#ifndef RKT_CORE_IMAGE_STORE_CLIENT_HPP
#define RKT_CORE_IMAGE_STORE_CLIENT_HPP

#include <optional>
#include <string>
#include <vector>

#include "rkt/abi/store.h"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/store.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::image {

/// The store every command uses unless told otherwise.
inline constexpr const char* kDefaultStoreName = "cas";

// The store protocol's records (rkt/sdk/protocol/store.hpp), under the names the core uses.
using protocol::store::LabelMap;
/// One stored image, as the store's `list` reports it. Times are ns since the Unix epoch.
using ImageRecord = protocol::store::ImageRecord;
/// A rendered tree.
/// `complete`: false for one a render left unfinished (listTrees(true)).
using TreeRecord = protocol::store::TreeRecord;
/// The store's download record of a URL (rkt's `remote` row).
using RemoteRecord = protocol::store::RemoteRecord;
/// `root`: the store directory; `tmpDir`: where downloads go (same filesystem as the store).
using StoreInfo = protocol::store::InfoResult;
/// `key`; `manifest`: the image manifest, as the store returned it.
using ImportResult = protocol::store::ImportImageResult;
using RenderResult = protocol::store::RenderResult;

/// kDamaged: only for a check-only verify (a store of ABI 1.4 or later).
enum class VerifyStatus { kOk, kNotRendered, kRebuilt, kDamaged };

struct VerifyResult {
  std::string treeId;
  VerifyStatus status = VerifyStatus::kOk;
};

class StoreClient {
 public:
  /// Loads the store plugin `storeName` through `registry` and opens an instance on `dataDir`
  /// (config {"data_dir": dataDir}). "cannot open store: …" style errors are the caller's to
  /// add; the message here names the plugin problem.
  static Result<StoreClient> open(plugin::PluginRegistry& registry, const std::string& dataDir,
                                  const std::string& storeName = kDefaultStoreName);

  /// Wraps an instance already created (tests).
  explicit StoreClient(plugin::Instance instance) : instance_(std::move(instance)) {}

  Result<StoreInfo> info() const;

  /// Whether the store keeps rendered trees (implements render); stores without a tree store
  /// are still usable for everything but render, verify and tree garbage collection.
  bool rendersTrees() const;

  /// Imports an image file (any compression appc allows). Atomic. The store's errors name the
  /// image `name` when given (the URL a download came from), else `path`.
  Result<ImportResult> importImage(const std::string& path, bool latest,
                                   const std::string& name = "") const;
  /// ABI 1.7: imports an image kept as layers (a docker or OCI image): its manifest and its
  /// layer blobs, bottom first (import_layered_image). Atomic.
  Result<ImportResult> importLayeredImage(
      const protocol::store::ImportLayeredImageRequest& request) const;

  /// The key for an ID prefix (at least `sha512-` + 2 hex digits). nullopt: "no image IDs
  /// found"; an ambiguous or malformed prefix is an error.
  Result<std::optional<std::string>> resolveId(const std::string& prefix) const;
  /// The key of the image `name` with all `labels` (rkt's GetACI); nullopt when none matches.
  Result<std::optional<std::string>> resolveName(const std::string& name,
                                                 const LabelMap& labels) const;

  Result<std::vector<ImageRecord>> list() const;
  /// The stored manifest (JSON text). Missing image: "image `<key>` is not in the store".
  Result<std::string> manifest(const std::string& key) const;
  /// The stored uncompressed tar; marks the image used.
  Result<std::string> blob(const std::string& key) const;
  /// With `notFound`, an image that is not (or no longer) in the store sets it instead of
  /// failing (a concurrent remover got there first).
  Status remove(const std::string& key, bool* notFound = nullptr) const;

  Result<RenderResult> render(const std::string& key, bool rebuild) const;
  /// Checks the rendered tree of `key`, re-rendering a damaged one. `quick`: the store may
  /// trust cheaper evidence than reading the whole tree (the cas store: its fingerprint,
  /// docs/store.md); a store from before ABI 1.2 ignores it and reads the tree. `checkOnly`:
  /// a damaged tree is reported (kDamaged), not rendered again; a store from before ABI 1.4
  /// ignores it and repairs (kRebuilt).
  Result<VerifyResult> verify(const std::string& key, bool quick = false,
                              bool checkOnly = false) const;
  /// Complete trees; with `includeIncomplete` also those renders left unfinished (ABI 1.3: a
  /// store from before ignores it).
  Result<std::vector<TreeRecord>> listTrees(bool includeIncomplete = false) const;
  Status removeTree(const std::string& treeId) const;

  Result<std::optional<RemoteRecord>> getRemote(const std::string& url) const;
  Status putRemote(const RemoteRecord& record) const;

 private:
  /// Calls op `name` with `request`; on success the result JSON text. When `notFound` is given,
  /// an RKT_E_NOT_FOUND answer sets it and returns "" instead of an error.
  Result<std::string> call(const char* name, rkt_store_json_op rkt_store_ops::*op,
                           const std::string& request, bool* notFound = nullptr) const;
  /// call() with an encoded request, its result decoded as Reply.
  template <class Reply, class Request>
  Result<Reply> exchange(const char* name, rkt_store_json_op rkt_store_ops::*op,
                         const Request& request) const;
  /// The `resolve` op for a request by ID or by name: the key, nullopt when nothing matches.
  Result<std::optional<std::string>> resolve(const protocol::store::ResolveRequest& request) const;

  plugin::Instance instance_;
};

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_STORE_CLIENT_HPP
