// CasStore: rkt's image store ($DATA/cas) — blobs and manifests on disk, an SQLite index, locks.
//
// Every method throws rkt::sdk::Error on failure (status code + one-line message); nothing else
// escapes. A CasStore is used from one thread; any number of processes may each have their own
// open on the same directory at the same time (see docs/store.md for the locking protocol).
// Do not carry an open CasStore across fork(): open a new one in the child.
#ifndef RKT_CAS_CAS_STORE_HPP
#define RKT_CAS_CAS_STORE_HPP

#include <sys/stat.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "errors.hpp"
#include "file_lock.hpp"
#include "layout.hpp"
#include "manifest_info.hpp"
#include "temp_file.hpp"

namespace rkt::cas {

class IndexDb;

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

/// One aciinfo row (plus, from list(), the manifest's labels).
struct ImageInfo {
  std::string key;      ///< sha512-<64 hex>
  std::string name;     ///< the manifest's name
  std::string version;  ///< the "version" label; filled by list() only, empty when absent
  Labels labels;        ///< the manifest's labels, in manifest order; filled by list() only
  TimePoint importTime;
  TimePoint lastUsed;
  bool latest = false;        ///< fetched by name without a version label, or docker tag "latest"
  int64_t size = 0;           ///< bytes of the uncompressed tar
  int64_t treeStoreSize = 0;  ///< bytes of its rendered tree (0 when not rendered)
};

/// One remote row: where an image was downloaded from, for cache / ETag reuse.
struct RemoteInfo {
  std::string aciUrl;  ///< image URL, or "docker://<reference as typed>"
  std::string sigUrl;
  std::string etag;
  std::string blobKey;
  int64_t cacheMaxAge = 0;  ///< seconds, from Cache-Control: max-age
  TimePoint downloadTime;
};

/// One layer of an image kept as layers (publishLayered), bottom first.
struct LayerInput {
  std::string digest;  ///< "sha256:<hex>" of the blob
  std::string path;    ///< the blob
  int64_t size = 0;    ///< bytes of the blob
};

class CasStore {
 public:
  /// Opens the store at `casDir` ($DATA/cas): creates the layout, takes a shared flock on
  /// `casDir` held until destruction, removes temp files left unlocked in tmp/ by killed
  /// processes, opens the index and creates or migrates its schema. A migration needs euid 0
  /// (RKT_E_PERMISSION otherwise) and waits until no other process has the store open; a
  /// schema newer than this code knows is refused (RKT_E_UNSUPPORTED).
  explicit CasStore(const std::string& casDir);
  ~CasStore();
  CasStore(const CasStore&) = delete;
  CasStore& operator=(const CasStore&) = delete;

  const CasLayout& layout() const { return layout_; }
  /// How many stale temp files the open removed, and how many on-disk images it indexed when
  /// it created a fresh index (e.g. a data directory left by rkt, whose ql.db we cannot read).
  size_t staleTempFilesRemoved() const { return staleTempFilesRemoved_; }
  size_t imagesAdopted() const { return imagesAdopted_; }

  /// A locked temp file in cas/tmp (same filesystem as the blobs, so publish() can rename it).
  TempFile createTempFile(const std::string& purpose);

  /// Adds an image. `tarPath` is the uncompressed ACI (ideally a createTempFile() file), `key`
  /// its image ID (computed by the caller while writing it), `size` its length in bytes,
  /// `manifestJson` the manifest from the tar. Under the exclusive key lock: the tar is synced
  /// and renamed to blob/… (copied when on another filesystem), the manifest written atomically
  /// to imageManifest/…, both directories synced, then the aciinfo row upserted (importtime =
  /// lastused = now, latest as given; treestoresize kept). On success `tarPath` no longer
  /// exists; on failure it is left to the caller. Publishing the same content again is
  /// idempotent apart from the refreshed times.
  void publish(const std::string& tarPath, const std::string& key, int64_t size,
               const std::string& manifestJson, bool latest);

  /// Adds an image kept as layers (docs/images.md, "Storage"). Under the exclusive layers lock:
  /// every layer not stored yet is checked against its digest and extracted (archive helper)
  /// into layers/sha256/<hex>/; then the manifest is written and, in one transaction, the
  /// aciinfo row (size: the file bytes of its layers), the layer rows and the image's layer
  /// list. The key: sha512Key of the manifest and the layer digests. On failure the layers
  /// this call extracted and nothing else uses are removed again. `name` names the image in
  /// errors. Returns the key.
  std::string publishLayered(const std::string& manifestJson, const std::vector<LayerInput>& layers,
                             bool latest, const std::string& name);
  /// The layer digests of `key`, bottom first; empty for an image stored as an ACI.
  std::vector<std::string> layersOf(const std::string& key);
  /// layers/sha256/<hex> of a stored layer's digest.
  std::string layerPath(const std::string& digest) const { return layout_.layerPath(digest); }
  /// Removes every stored layer that no image lists and no tree (its `layers` file) stacks:
  /// after an image or a tree goes. Under the exclusive layers lock. Returns how many went.
  size_t collectLayers();

  /// The one key starting with `prefix`: at least "sha512-" + 2 hex digits (RKT_E_INVALID
  /// otherwise); longer than a full key is truncated. RKT_E_NOT_FOUND "no image IDs found …",
  /// RKT_E_INVALID "ambiguous image ID …".
  std::string resolveKey(const std::string& prefix);

  /// The key of the image named `name` whose manifest has all `labels`. Without a "version"
  /// label requested, images marked latest win; among the rest the newest importtime wins.
  /// RKT_E_NOT_FOUND when none matches.
  std::string getACI(const std::string& name, const Labels& labels = {});

  /// Every image, oldest import first, with version and labels filled in. The size of an image
  /// kept as layers counts each layer once in the whole list: in the oldest image that has it.
  std::vector<ImageInfo> list();
  /// The aciinfo row of `key` (version and labels not filled), or nullopt.
  std::optional<ImageInfo> info(const std::string& key);

  /// The stored manifest JSON (read under a shared key lock). RKT_E_NOT_FOUND when absent.
  std::string manifest(const std::string& key);
  /// Path of the stored uncompressed tar. RKT_E_NOT_FOUND when the image is not indexed.
  /// Hold lockImage(key, kShared) while reading it, and call touchLastUsed(key).
  std::string blobPath(const std::string& key);
  /// Whether the blob of `key` is still the very file this instance published (and hashed while
  /// writing it) in publish(): same inode, size, modification and change times. A render right
  /// after the import need not hash it again; any write, truncation, chmod or replacement since
  /// changes the change time or the inode. Call under lockImage(key, kShared).
  bool isOwnUnchangedBlob(const std::string& key);
  /// Sets lastused = now. RKT_E_NOT_FOUND when the image is not indexed.
  void touchLastUsed(const std::string& key);
  /// The image's key lock (shared to read, exclusive to write or remove).
  FileLock lockImage(const std::string& key, LockMode mode);

  /// Removes an image: under the exclusive key lock, its aciinfo and remote rows in one
  /// transaction, then its blob and manifest files, then its lock file. RKT_E_NOT_FOUND when
  /// not indexed; RKT_E_IO "image `…` removed but left some stale files: …" when the rows are
  /// gone but a file could not be removed.
  void remove(const std::string& key);

  /// The remote row for `aciUrl`, or nullopt.
  std::optional<RemoteInfo> getRemote(const std::string& aciUrl);
  /// Inserts or replaces the remote row of remote.aciUrl. RKT_E_NOT_FOUND when remote.blobKey
  /// is not an indexed image (checked in the same transaction).
  void upsertRemote(const RemoteInfo& remote);

  /// Key lock on treestorelocks/<treeId> (shared to check, exclusive to render or remove).
  FileLock lockTree(const std::string& treeId, LockMode mode);
  /// tree/<treeId>.
  std::string treePath(const std::string& treeId) const;
  /// Records the size of the image's rendered tree; 0 when the tree is removed. Returns false
  /// when the image is not indexed (e.g. removed meanwhile).
  bool setTreeStoreSize(const std::string& key, int64_t bytes);

  /// Images `rkt image gc` may remove: lastused older than now - gracePeriod and not in
  /// `inUse` (keys of images used by running pods), least recently used first.
  std::vector<std::string> gcCandidates(std::chrono::nanoseconds gracePeriod,
                                        const std::set<std::string>& inUse,
                                        TimePoint now = Clock::now());

 private:
  void prepareSchema();
  void migrate(int version);
  void moveIntoPlace(const std::string& src, int64_t size, const std::string& dest);
  void requireIndexed(const std::string& key);
  std::map<std::string, int64_t> sharedLayerSizes(const std::vector<ImageInfo>& rows);

  struct FileIdentity {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    struct timespec ctime;
    bool operator==(const FileIdentity& o) const;
  };
  static std::optional<FileIdentity> identityOf(const std::string& path);

  CasLayout layout_;
  FileLock storeLock_;
  std::mutex ownBlobsMutex_;
  std::map<std::string, FileIdentity> ownBlobs_;  // key -> the blob publish() wrote
  std::unique_ptr<IndexDb> db_;
  size_t staleTempFilesRemoved_ = 0;
  size_t imagesAdopted_ = 0;
};

}  // namespace rkt::cas

#endif  // RKT_CAS_CAS_STORE_HPP
