// Removing a directory tree that someone else built: a pod's files after its apps ran, a tree
// the store rendered from an image. Either may hold anything an app or an image can create, so
// the removal must not depend on the tree being reasonable.
#ifndef RKT_SUPPORT_POSIX_REMOVE_TREE_HPP
#define RKT_SUPPORT_POSIX_REMOVE_TREE_HPP

#include <string>

#include "rkt/base/result.hpp"

namespace rkt::posix {

/// Directory levels removeTree keeps open; deeper ones are closed and found again through "..".
inline constexpr int kRemoveTreeOpenLevels = 32;
/// The most descriptors removeTree has open at any time.
inline constexpr int kRemoveTreeMaxFds = kRemoveTreeOpenLevels + 1;

/// Removes `path` and everything below it. A missing `path` is not an error; a `path` that is
/// not a directory (a symlink included) is unlinked.
///
/// - Iterative, with at most kRemoveTreeMaxFds descriptors and memory that does not grow with
///   the depth: a tree of any depth can be removed (no recursion, no path strings per level).
/// - Never follows a symlink and never enters, nor removes anything on, another mount: a
///   directory or file below `path` that is a mount point (compared by mount ID, so a bind
///   mount of the same filesystem counts) is an error, and so is a `path` that is itself one.
///   Unmount first (the pod library's unmountAllUnder does for pods).
/// - Copes with what an app may leave: clears the immutable and append-only attributes
///   (FS_IMMUTABLE_FL, FS_APPEND_FL) of a directory or regular file when removing fails with
///   EPERM, and gives directories u+rwx when they lack it (mode 000 trees of a non-root owner).
///
/// Stops at the first entry it cannot remove; what was removed so far stays removed. The error
/// names the entry as `path` plus a relative tail, with `…` for the levels it no longer knows
/// or that would make the line too long.
Status removeTree(const std::string& path);

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_REMOVE_TREE_HPP
