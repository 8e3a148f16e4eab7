// What removeTree needs to know about an open file: which inode on which mount, and how to lift
// the attributes that forbid removing it.
#ifndef RKT_SUPPORT_POSIX_INODE_HPP
#define RKT_SUPPORT_POSIX_INODE_HPP

#include <sys/types.h>

#include <cstdint>

#include "rkt/base/result.hpp"

namespace rkt::posix {

struct Identity {
  dev_t dev = 0;
  ino_t ino = 0;
  mode_t mode = 0;
  std::uint64_t mountId = 0;
  bool hasMountId = false;  ///< statx reported STATX_MNT_ID (Linux 5.8 and later)
};

/// The identity of the file open as `fd` (statx; fstat where statx is missing).
Result<Identity> identify(int fd);

/// The same inode.
bool sameInode(const Identity& a, const Identity& b);

/// On the same mount: same device and, when both are known, the same mount ID. A bind mount of
/// a directory of the same filesystem has the same device but another mount ID.
bool sameMount(const Identity& a, const Identity& b);

/// Clears FS_IMMUTABLE_FL and FS_APPEND_FL on the file open as `fd`. True when one was set and
/// is now cleared; false when none was set or the filesystem or our privileges do not allow it
/// (the caller then reports its original error).
bool clearRemovalBlockingFlags(int fd);

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_INODE_HPP
