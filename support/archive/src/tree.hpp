// Writes a directory tree below a root descriptor without ever leaving it (internal).
//
// Paths are component lists relative to the root, already free of `.`, `..` and empty parts.
// Parent directories are resolved from the root descriptor with openat2(RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) — or, without openat2, one component at a time
// with O_NOFOLLOW — so a symlink anywhere in a parent path is an error, never followed. Final
// components are created exclusively (O_EXCL, mkdirat, symlinkat, linkat, mknodat); an existing
// entry is removed (never opened) before being replaced. Directory modes and times are applied
// at finish(), once their content exists. Resolved parents are cached by path; removing an entry
// drops it and everything below it from the cache.
#ifndef RKT_SUPPORT_ARCHIVE_SRC_TREE_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_TREE_HPP

#include "path.hpp"

#include <rkt/base/result.hpp>
#include <rkt/support/archive/extract.hpp>
#include <rkt/support/posix/unique_fd.hpp>

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rkt::archive::detail {

struct NodeMeta {
  std::uint32_t mode = 0;  ///< permission bits including setuid, setgid, sticky
  uid_t uid = 0;
  gid_t gid = 0;
  struct timespec atime = {0, UTIME_OMIT};
  struct timespec mtime = {0, UTIME_OMIT};
};

/// Extended attributes to restore: (name, value).
using Xattrs = std::vector<std::pair<std::string, std::string>>;

class TreeWriter {
 public:
  /// `root` must be a directory opened O_RDONLY.
  TreeWriter(posix::UniqueFd root, bool preserveOwnership, OnExisting onExisting);

  /// Creates (or merges into) a directory; `p` empty means the root itself.
  Status directory(const Parts& p, const NodeMeta& m, const Xattrs& x);
  /// Creates a regular file for writing; finish it with finishFile().
  Result<posix::UniqueFd> createFile(const Parts& p, std::uint32_t mode);
  Status finishFile(posix::UniqueFd fd, const NodeMeta& m, const Xattrs& x);
  Status symlink(const Parts& p, const std::string& target, const NodeMeta& m);
  /// Links `p` to the inode at `target` (both relative to the root; a final symlink is linked
  /// itself, not followed).
  Status hardlink(const Parts& p, const Parts& target);
  /// Device node or FIFO: `type` is S_IFCHR, S_IFBLK or S_IFIFO.
  Status node(const Parts& p, mode_t type, dev_t rdev, const NodeMeta& m);
  /// Applies directory modes and times (deepest last-created first).
  Status finish();

 private:
  struct PendingDir {
    Parts parts;
    dev_t dev;
    ino_t ino;
    NodeMeta meta;
  };

  /// The parent directory of `p` (borrowed, valid until the next parentOf call).
  Result<int> parentOf(const Parts& p, bool create);
  /// Resolves p[0, n) as a directory below the root; creates missing ones if asked. n >= 1.
  Result<posix::UniqueFd> openDir(const Parts& p, std::size_t n, bool create);
  /// After EEXIST at (dirfd, p.back()): removes what is there, unless the policy forbids it.
  Status makeRoom(int dirfd, const Parts& p);
  /// Drops `path` and everything below it from the parent cache.
  void forget(const std::string& path);
  bool needsChmod(std::uint32_t mode) const;
  Status restoreOwner(int dirfd, const std::string& name, const NodeMeta& m);

  posix::UniqueFd root_;
  bool preserveOwnership_;
  OnExisting onExisting_;
  mode_t umask_;
  std::size_t maxCached_;  ///< parent directories kept open (descriptorBudget)
  std::unordered_map<std::string, posix::UniqueFd> cache_;
  std::string lastKey_;
  int lastFd_ = -1;
  std::vector<PendingDir> dirs_;
  std::unordered_map<std::string, std::size_t> dirIndex_;
};

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_TREE_HPP
