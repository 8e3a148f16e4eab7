// The files of a tree directory (cas/tree/<tree id>/) besides rootfs/: the tree store writes
// them (tree_store.hpp); the tree hash and the tree fingerprint leave them out.
#ifndef RKT_CAS_TREE_FILES_HPP
#define RKT_CAS_TREE_FILES_HPP

#include <string_view>

namespace rkt::cas {

inline constexpr char kTreeManifestFile[] = "manifest";        ///< the top image's manifest
inline constexpr char kTreeHashFile[] = "hash";                ///< tree_hash.hpp
inline constexpr char kTreeFingerprintFile[] = "fingerprint";  ///< tree_fingerprint.hpp
inline constexpr char kTreeImageFile[] = "image";              ///< the key of the top image
inline constexpr char kTreeRenderedFile[] = "rendered";        ///< marker: the tree is complete
/// An image kept as layers: its layer digests, top first, one a line; the tree's rootfs/ is the
/// layer above them. The layers stay stored while a tree lists them (CasStore::collectLayers).
inline constexpr char kTreeLayersFile[] = "layers";

/// A top-level name of a tree directory that the tree hash and fingerprint skip: everything
/// above but rootfs/ (the manifest comes from the store, not from the rendering).
inline bool isTreeBookkeepingFile(std::string_view name) {
  return name == kTreeManifestFile || name == kTreeHashFile || name == kTreeFingerprintFile ||
         name == kTreeImageFile || name == kTreeRenderedFile || name == kTreeLayersFile;
}

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_FILES_HPP
