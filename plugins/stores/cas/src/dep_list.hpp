// The flattened dependency list of an image and its tree store ID (rkt-notes §2.4, §4.7).
//
// Order: the image first (level 0); walking the list, each image's dependencies are inserted
// immediately after it, one level deeper, each one before the ones listed earlier. So for
// A→[B,C], C→[D] the list is A, C, D, B: an image earlier in the list is "upper" and wins.
// A dependency shared by two branches appears once per branch (each time under that branch's
// whitelists).
#ifndef RKT_CAS_DEP_LIST_HPP
#define RKT_CAS_DEP_LIST_HPP

#include <cstddef>
#include <string>
#include <vector>

#include <rkt/schema/image_manifest.hpp>

namespace rkt::cas {

class CasStore;

struct DepImage {
  std::string key;
  schema::ImageManifest manifest;
  int level = 0;
  /// Index of the image that depends on this one; kNoParent for the top image.
  std::size_t parent = kNoParent;

  static constexpr std::size_t kNoParent = static_cast<std::size_t>(-1);
};

/// Refuses lists longer than this (a dependency DAG can grow exponentially when flattened).
inline constexpr std::size_t kMaxDepListLength = 4096;

/// Builds the list for `key` from the store: a dependency with an `imageID` is resolved by that
/// ID (prefix), otherwise by name and labels (getACI). Throws rkt::sdk::Error: RKT_E_NOT_FOUND
/// naming the missing dependency and the image that needs it; RKT_E_INVALID for a dependency
/// cycle, an over-long list or a stored manifest that is not a valid image manifest.
std::vector<DepImage> dependencyList(CasStore& store, const std::string& key);

/// "deps-" + key(sha512(join(",", keys in list order))).
std::string treeStoreId(const std::vector<DepImage>& list);

/// Parses a stored manifest with the appc schema library; throws RKT_E_INVALID naming `key`.
schema::ImageManifest parseStoredManifest(const std::string& key, const std::string& json);

}  // namespace rkt::cas

#endif  // RKT_CAS_DEP_LIST_HPP
