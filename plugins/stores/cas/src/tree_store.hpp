// The tree store: images rendered with their dependencies into cas/tree/<tree id>/ (manifest of
// the top image + rootfs/), rkt's treestore (rkt-notes §2.4, §4.7). See docs/store.md.
//
// A tree directory holds, besides manifest and rootfs/ (names in tree_files.hpp):
//   hash         the tree hash (tree_hash.hpp), written once the tree is complete
//   fingerprint  the tree fingerprint (tree_fingerprint.hpp); missing or stale only costs a
//                full check
//   image        the key of the top image
//   rendered     empty marker, created last: a tree without it is incomplete and never used
// Render and remove take the tree's key lock exclusively, verify and list shared.
#ifndef RKT_CAS_TREE_STORE_HPP
#define RKT_CAS_TREE_STORE_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "dep_list.hpp"
#include "tree_fingerprint.hpp"

namespace rkt::cas {

class CasStore;

struct RenderedTree {
  std::string treeId;
  std::string path;     ///< tree/<id>
  bool reused = false;  ///< an existing complete tree was kept
};

enum class TreeStatus { kOk, kNotRendered, kRebuilt, kDamaged };

/// How verify decides that a tree is intact. kFull: its hash, reading every file (rkt's check).
/// kQuick: its fingerprint when that matches the recorded one, else as kFull.
enum class TreeCheck { kFull, kQuick };

/// What to do with a tree verify finds damaged: render it again, or only say so.
enum class TreeDamage { kRepair, kReport };

/// "ok", "not-rendered", "rebuilt", "damaged".
const char* treeStatusName(TreeStatus status);

struct TreeInfo {
  std::string treeId;
  std::string key;  ///< the top image
  std::string path;
  int64_t size = 0;      ///< rkt's size of the tree directory (0 for an incomplete one)
  bool complete = true;  ///< has `rendered`
};

class TreeStore {
 public:
  explicit TreeStore(CasStore& store) : store_(store) {}

  /// The tree store ID of `key` as the store resolves its dependencies now.
  std::string treeId(const std::string& key);

  /// Renders `key` and its dependencies (which must be in the store; RKT_E_NOT_FOUND naming
  /// the missing one otherwise). Under the exclusive tree lock: a complete tree is reused
  /// unless `rebuild`; otherwise whatever is there is removed and the tree rendered afresh,
  /// each image's blob re-hashed while it is read. On failure no complete-looking tree is left.
  RenderedTree render(const std::string& key, bool rebuild);

  /// Recomputes the hash of `key`'s tree and compares it with the recorded one (shared lock).
  /// A tree that does not match is rendered again (kRebuilt), or with TreeDamage::kReport left
  /// as it is (kDamaged); one without `rendered` or `hash` is kNotRendered (and left alone). A
  /// tree found intact by its hash gets its fingerprint recorded afresh, so the next quick
  /// check of it is quick again.
  TreeStatus verify(const std::string& key, std::string* treeIdOut = nullptr,
                    TreeCheck check = TreeCheck::kFull, TreeDamage damage = TreeDamage::kRepair);

  /// Every complete tree, by tree ID; with `includeIncomplete` also the trees renders left
  /// without `rendered` (killed, or failed and not removable then), whose lock nobody holds (a
  /// render in progress holds it). Those are only ever removed through remove(): `rkt image gc`
  /// sweeps them, reporting what it cannot remove; opening the store does not try (a leftover
  /// that cannot be removed would cost every command the attempt).
  std::vector<TreeInfo> list(bool includeIncomplete = false);

  /// Removes a tree, complete or not: `rendered` first (made durable), then the directory
  /// (rkt::posix::removeTree: any depth, never crossing a mount), then the image's tree size is
  /// reset to 0. RKT_E_NOT_FOUND when there is no such tree directory; a failure names the
  /// entry that could not be removed.
  void remove(const std::string& treeId);

  /// The layer directories (top first) a tree of an image kept as layers stacks below its
  /// rootfs/ (its `layers` file); empty for other trees.
  std::vector<std::string> lowerDirs(const std::string& treePath);

 private:
  void renderLayered(const std::string& key, const std::vector<std::string>& layers,
                     const std::string& path);
  RenderedTree renderLocked(const std::string& key, const std::vector<DepImage>& deps,
                            const std::string& treeId);
  bool recordFingerprint(const std::string& treePath, const TreeFingerprint& fingerprint);

  CasStore& store_;
};

/// Removes `path` and everything below it (rkt::posix::removeTree, as RKT_E_IO); a missing path
/// is fine.
void removeTreeDir(const std::string& path);

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_STORE_HPP
