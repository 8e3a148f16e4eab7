// The image store protocol (rkt/abi/store.h) as C++ types: one request and one result per
// operation, read and written with rkt/sdk/protocol/json.hpp. The JSON Schema of each message is
// sdk/schema/<kSchema>.schema.json (installed with the SDK).
#ifndef RKT_SDK_PROTOCOL_STORE_HPP
#define RKT_SDK_PROTOCOL_STORE_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "rkt/sdk/protocol/image_key.hpp"
#include "rkt/sdk/protocol/json.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::protocol::store {

/// Labels as the protocols carry them: {"<label>": "<value>", …}.
using LabelMap = StringMap;

/// The base of messages without fields ({}), e.g. the result of `remove`.
struct EmptyMessage {
  template <class V, class S>
  static void visitFields(V&, S&) {}
};

/// The base of the requests naming one image: manifest, blob, remove.
struct KeyRequest {
  std::string key;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("key", s.key, Presence::kRequired);
  }
};

/// The download record of a URL (rkt's `remote` row): what the store keeps and what the
/// fetcher protocol passes in both directions. Times: `cache_max_age` in seconds,
/// `download_time` in nanoseconds since the Unix epoch.
struct RemoteRecord {
  std::string url;
  std::string sigUrl;
  std::string etag;
  std::string key;  ///< the stored image; a fetcher's record has none yet
  std::int64_t cacheMaxAge = 0;
  std::int64_t downloadTime = 0;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    visitRecordFields(v, s, Presence::kOptional, Presence::kOmitEmpty);
  }

  /// The fields of a download record, for it and for the put_remote request (which requires
  /// `url` and `key`).
  template <class V, class S>
  static void visitRecordFields(V& v, S& s, Presence url, Presence key) {
    v("url", s.url, url);
    v("sig_url", s.sigUrl);
    v("etag", s.etag);
    v("key", s.key, key);
    v("cache_max_age", s.cacheMaxAge);
    v("download_time", s.downloadTime);
  }
};

/// The instance configuration of a store factory.
struct Config {
  static constexpr const char* kWhat = "store configuration";
  static constexpr const char* kSchema = "store-config";
  std::string dataDir;  ///< $DATA

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("data_dir", s.dataDir, Presence::kRequired);
  }
};

/// `info`'s result.
struct InfoResult {
  static constexpr const char* kWhat = "info result";
  static constexpr const char* kSchema = "store-info-result";
  std::string root;    ///< the store directory
  std::string tmpDir;  ///< where downloads go (on the store's filesystem)

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("root", s.root);
    v("tmp_dir", s.tmpDir, Presence::kRequired);
  }
};

struct ImportImageRequest {
  static constexpr const char* kWhat = "import_image request";
  static constexpr const char* kSchema = "store-import-image-request";
  std::string path;  ///< an ACI file, gzip / bzip2 / xz / uncompressed
  bool latest = false;
  /// ABI 1.3: what errors call the image instead of the path (the URL it came from).
  std::string name;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("path", s.path, Presence::kRequired);
    v("latest", s.latest);
    v("name", s.name, Presence::kOmitEmpty);
  }
};

struct ImportImageResult {
  static constexpr const char* kWhat = "import_image result";
  static constexpr const char* kSchema = "store-import-image-result";
  std::string key;
  RawJsonObject manifest;  ///< the image manifest

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("key", s.key, Presence::kRequired);
    v("manifest", s.manifest, Presence::kOmitEmpty);
  }
};

/// ABI 1.7: one layer of an image kept as layers, bottom first in import_layered_image.
struct LayerSource {
  std::string digest;     ///< "sha256:<64 hex>" of the blob as stored (compressed or not)
  std::string path;       ///< the blob file
  std::string mediaType;  ///< the OCI / docker layer media type
  std::int64_t size = 0;  ///< bytes of the blob

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("digest", s.digest, Presence::kRequired);
    v("path", s.path, Presence::kRequired);
    v("media_type", s.mediaType, Presence::kOmitEmpty);
    v("size", s.size);
  }
};

/// ABI 1.7: `import_layered_image`, an image kept as its layers (docs/images.md, "Storage").
struct ImportLayeredImageRequest {
  static constexpr const char* kWhat = "import_layered_image request";
  static constexpr const char* kSchema = "store-import-layered-image-request";
  RawJsonObject manifest;  ///< the appc image manifest
  std::vector<LayerSource> layers;
  bool latest = false;
  std::string name;  ///< what errors call the image

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("manifest", s.manifest, Presence::kRequired);
    v("layers", s.layers, Presence::kRequired);
    v("latest", s.latest);
    v("name", s.name, Presence::kOmitEmpty);
  }
};

/// `import_layered_image`'s result: as import_image's.
struct ImportLayeredImageResult : ImportImageResult {
  static constexpr const char* kWhat = "import_layered_image result";
  static constexpr const char* kSchema = "store-import-layered-image-result";
};

/// `resolve` by ID ({"id"}) or by name ({"name", "labels"}), rkt's GetACI rules.
struct ResolveRequest {
  static constexpr const char* kWhat = "resolve request";
  static constexpr const char* kSchema = "store-resolve-request";
  std::string id;  ///< a key or a unique prefix of one, at least "sha512-" + 2 hex digits
  std::string name;
  std::optional<LabelMap> labels;  ///< with `name`: all must match

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("id", s.id, Presence::kOmitEmpty);
    v("name", s.name, Presence::kOmitEmpty);
    v("labels", s.labels);
  }

  static void validate(const ResolveRequest& r) {
    if (r.id.empty() && r.name.empty()) {
      invalidField<ResolveRequest>("name", "missing (or give \"id\")");
    }
  }
};

struct ResolveResult {
  static constexpr const char* kWhat = "resolve result";
  static constexpr const char* kSchema = "store-resolve-result";
  std::string key;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("key", s.key, Presence::kRequired);
  }
};

/// One stored image, as `list` reports it. Times are nanoseconds since the Unix epoch.
struct ImageRecord {
  std::string key;
  std::string name;
  LabelMap labels;
  std::int64_t importTime = 0;
  std::int64_t lastUsed = 0;
  bool latest = false;
  std::int64_t size = 0;      ///< bytes of the stored (uncompressed) tar
  std::int64_t treeSize = 0;  ///< bytes of its rendered trees
  /// ABI 1.7: an image kept as layers: its layer digests, bottom first.
  std::vector<std::string> layers;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("key", s.key);
    v("name", s.name);
    v("labels", s.labels);
    v("import_time", s.importTime);
    v("last_used", s.lastUsed);
    v("latest", s.latest);
    v("size", s.size);
    v("tree_size", s.treeSize);
    v("layers", s.layers, Presence::kOmitEmpty);
  }
};

/// A rendered tree, as `list_trees` reports it.
struct TreeRecord {
  std::string treeId;  ///< deps-sha512-…
  std::string key;     ///< the image it renders
  std::string path;    ///< directory holding manifest and rootfs/
  std::int64_t size = 0;
  /// ABI 1.3: false for a tree a render left incomplete (listed only on request; its key may
  /// be empty, its size 0). Absent (a store from before): true.
  bool complete = true;
  /// ABI 1.7: as RenderResult::lowerDirs.
  std::vector<std::string> lowerDirs;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("tree_id", s.treeId);
    v("key", s.key);
    v("path", s.path);
    v("size", s.size);
    v("complete", s.complete);
    v("lower_dirs", s.lowerDirs, Presence::kOmitEmpty);
  }
};

struct ListRequest : EmptyMessage {
  static constexpr const char* kWhat = "list request";
  static constexpr const char* kSchema = "store-list-request";
};

struct ListResult {
  static constexpr const char* kWhat = "list result";
  static constexpr const char* kSchema = "store-list-result";
  static constexpr bool kArray = true;
  std::vector<ImageRecord> items;
};

/// `manifest`: its result is the stored image manifest itself (a JSON object, passed as text).
struct ManifestRequest : KeyRequest {
  static constexpr const char* kWhat = "manifest request";
  static constexpr const char* kSchema = "store-manifest-request";
};

/// `blob`: opens an image for reading and marks it used.
struct BlobRequest : KeyRequest {
  static constexpr const char* kWhat = "blob request";
  static constexpr const char* kSchema = "store-blob-request";
};

/// `remove`: removes an image and its remote entries.
struct RemoveRequest : KeyRequest {
  static constexpr const char* kWhat = "remove request";
  static constexpr const char* kSchema = "store-remove-request";
};

struct RemoveResult : EmptyMessage {
  static constexpr const char* kWhat = "remove result";
  static constexpr const char* kSchema = "store-remove-result";
};

struct BlobResult {
  static constexpr const char* kWhat = "blob result";
  static constexpr const char* kSchema = "store-blob-result";
  std::string path;  ///< the stored uncompressed tar; valid until the image is removed

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("path", s.path, Presence::kRequired);
  }
};

struct RenderRequest {
  static constexpr const char* kWhat = "render request";
  static constexpr const char* kSchema = "store-render-request";
  std::string key;
  bool rebuild = false;  ///< render again even when a complete tree exists

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("key", s.key, Presence::kRequired);
    v("rebuild", s.rebuild);
  }
};

struct RenderResult {
  static constexpr const char* kWhat = "render result";
  static constexpr const char* kSchema = "store-render-result";
  std::string treeId;
  std::string path;  ///< the tree directory, holding manifest and rootfs/
  /// ABI 1.7: an image kept as layers: its layer directories, top first, below rootfs/.
  std::vector<std::string> lowerDirs;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("tree_id", s.treeId);
    v("path", s.path, Presence::kRequired);
    v("lower_dirs", s.lowerDirs, Presence::kOmitEmpty);
  }
};

struct VerifyRequest {
  static constexpr const char* kWhat = "verify request";
  static constexpr const char* kSchema = "store-verify-request";
  std::string key;
  /// ABI 1.2: the store may take cheaper evidence that the tree is unchanged (`rkt image
  /// render`); without it the content is always read (`rkt image verify`).
  bool quick = false;
  /// ABI 1.4: report a damaged tree ("damaged") instead of rendering it again (`rkt run` and
  /// `rkt prepare` refuse it). An older store ignores the field and repairs ("rebuilt").
  bool checkOnly = false;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("key", s.key, Presence::kRequired);
    v("quick", s.quick);
    v("check_only", s.checkOnly, Presence::kOmitEmpty);
  }
};

struct VerifyResult {
  static constexpr const char* kWhat = "verify result";
  static constexpr const char* kSchema = "store-verify-result";
  static constexpr const char* kOk = "ok";
  static constexpr const char* kNotRendered = "not-rendered";
  static constexpr const char* kRebuilt = "rebuilt";
  static constexpr const char* kDamaged = "damaged";  ///< ABI 1.4, only for check_only
  std::string treeId;
  std::string status;  ///< kOk, kNotRendered, kRebuilt or kDamaged

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("tree_id", s.treeId);
    v("status", s.status, Presence::kRequired);
  }

  static void validate(const VerifyResult& r) {
    if (r.status != kOk && r.status != kNotRendered && r.status != kRebuilt &&
        r.status != kDamaged) {
      invalidField<VerifyResult>("status", "unknown status `" + r.status + "`");
    }
  }
};

struct ListTreesRequest {
  static constexpr const char* kWhat = "list_trees request";
  static constexpr const char* kSchema = "store-list-trees-request";
  /// ABI 1.3: also list the trees renders left incomplete and nobody is rendering now
  /// (`rkt image gc` removes them). A store from before ignores it.
  bool incomplete = false;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("incomplete", s.incomplete, Presence::kOmitEmpty);
  }
};

struct ListTreesResult {
  static constexpr const char* kWhat = "list_trees result";
  static constexpr const char* kSchema = "store-list-trees-result";
  static constexpr bool kArray = true;
  std::vector<TreeRecord> items;
};

struct RemoveTreeRequest {
  static constexpr const char* kWhat = "remove_tree request";
  static constexpr const char* kSchema = "store-remove-tree-request";
  std::string treeId;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("tree_id", s.treeId, Presence::kRequired);
  }
};

struct RemoveTreeResult : EmptyMessage {
  static constexpr const char* kWhat = "remove_tree result";
  static constexpr const char* kSchema = "store-remove-tree-result";
};

struct GetRemoteRequest {
  static constexpr const char* kWhat = "get_remote request";
  static constexpr const char* kSchema = "store-get-remote-request";
  std::string url;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("url", s.url, Presence::kRequired);
  }
};

/// `get_remote`'s result; RKT_E_NOT_FOUND instead when the URL has no record.
struct GetRemoteResult : RemoteRecord {
  static constexpr const char* kWhat = "get_remote result";
  static constexpr const char* kSchema = "store-get-remote-result";
};

/// `put_remote`: creates or replaces the record of `url`. Without `download_time` the store
/// records the time of the call.
struct PutRemoteRequest {
  static constexpr const char* kWhat = "put_remote request";
  static constexpr const char* kSchema = "store-put-remote-request";
  std::string url;
  std::string sigUrl;
  std::string etag;
  std::string key;
  std::int64_t cacheMaxAge = 0;
  std::optional<std::int64_t> downloadTime;

  static PutRemoteRequest of(const RemoteRecord& r) {
    return PutRemoteRequest{r.url, r.sigUrl, r.etag, r.key, r.cacheMaxAge, r.downloadTime};
  }

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    RemoteRecord::visitRecordFields(v, s, Presence::kRequired, Presence::kRequired);
  }
};

struct PutRemoteResult : EmptyMessage {
  static constexpr const char* kWhat = "put_remote result";
  static constexpr const char* kSchema = "store-put-remote-result";
};

}  // namespace rkt::protocol::store

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_PROTOCOL_STORE_HPP
