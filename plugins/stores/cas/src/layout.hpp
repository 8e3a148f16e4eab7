// The store's on-disk layout under $DATA/cas, identical to rkt v1.30 (see docs/store.md):
//
//   cas/                         2770  shared flock by every store user, exclusive for migration
//   cas/blob/sha512/<hh>/<key>   2770 dirs, 0660 files: the uncompressed ACI tar
//   cas/imageManifest/sha512/<hh>/<key>   same, the image manifest JSON
//   cas/imagelocks/<key>         2770, 0660 key lock files
//   cas/tmp/                     2770  temp files (imports, downloads)
//   cas/tree/<tree id>/          2700  rendered trees
//   cas/treestorelocks/<tree id> 2700  tree key locks
//   cas/db/                      2770  the index (SQLite instead of rkt's ql)
//   cas/db-backups/<n>/          0750  DB copies made before a schema migration (last 5)
//   cas/layers/sha256/<hex>/     2700  one extracted layer of docker/OCI images, in overlayfs'
//                                      lower-layer form (docs/images.md, "Storage"); the
//                                      directory's flock guards adding and removing layers
#ifndef RKT_CAS_LAYOUT_HPP
#define RKT_CAS_LAYOUT_HPP

#include <sys/types.h>

#include <string>

namespace rkt::cas {

inline constexpr mode_t kCasDirMode = 02770;
inline constexpr mode_t kStoreDirMode = 02770;  // blob, imageManifest, imagelocks, tmp, db
inline constexpr mode_t kTreeDirMode = 02700;   // tree, treestorelocks
inline constexpr mode_t kBackupsDirMode = 0750;
inline constexpr mode_t kDataDirMode = 02750;  // $DATA, when the store has to create it
inline constexpr mode_t kStoreFileMode = 0660;

/// Paths of one store. Pure path arithmetic except create().
class CasLayout {
 public:
  explicit CasLayout(std::string casDir);

  /// Creates every directory that is missing, with the modes above. $DATA (the parent of
  /// the cas directory) is created too when missing; its own parent must exist.
  void create() const;

  const std::string& root() const { return root_; }
  std::string blobDir() const { return root_ + "/blob"; }
  std::string manifestDir() const { return root_ + "/imageManifest"; }
  std::string imageLockDir() const { return root_ + "/imagelocks"; }
  std::string tmpDir() const { return root_ + "/tmp"; }
  std::string treeDir() const { return root_ + "/tree"; }
  std::string treeLockDir() const { return root_ + "/treestorelocks"; }
  std::string dbDir() const { return root_ + "/db"; }
  std::string dbFile() const { return dbDir() + "/" + kDbFileName; }
  std::string backupsDir() const { return root_ + "/db-backups"; }
  std::string layersDir() const { return root_ + "/layers"; }
  /// layers/sha256/<hex> for the digest "sha256:<hex>". Precondition: isLayerDigest(digest).
  std::string layerPath(const std::string& digest) const;

  /// blob/sha512/<hh>/<key>. Precondition: isImageKey(key).
  std::string blobPath(const std::string& key) const;
  /// imageManifest/sha512/<hh>/<key>. Precondition: isImageKey(key).
  std::string manifestPath(const std::string& key) const;
  /// tree/<id>. Precondition: isTreeId(id).
  std::string treePath(const std::string& id) const { return treeDir() + "/" + id; }

  /// "sha256:" + 64 lowercase hex digits.
  static bool isLayerDigest(const std::string& digest);

  static constexpr const char* kDbFileName = "store.sqlite";
  /// rkt's own index file; its presence means the directory was used by rkt (Go).
  static constexpr const char* kRktQlFileName = "ql.db";

 private:
  std::string root_;
};

}  // namespace rkt::cas

#endif  // RKT_CAS_LAYOUT_HPP
