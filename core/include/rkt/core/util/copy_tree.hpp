// Copying a directory tree with everything a container rootfs needs (rkt's fileutil.CopyTree):
// `rkt image render` copies a rendered tree out of the tree store with it.
#ifndef RKT_CORE_UTIL_COPY_TREE_HPP
#define RKT_CORE_UTIL_COPY_TREE_HPP

#include <cstdint>
#include <limits>
#include <string>

#include "rkt/core/result.hpp"

namespace rkt::util {

struct CopyStats {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
};

/// Copies everything from the current offset of `inFd` to its end onto `outFd` (copy_file_range,
/// falling back to read/write across filesystems), or at most `size` bytes: a caller that knows
/// the size of a file nobody changes saves the last call that only reports the end. Between
/// regular files, when `outFd` holds nothing from its offset on (a new file), holes stay holes:
/// only the data segments (SEEK_DATA/SEEK_HOLE) are copied. Returns the byte count (holes
/// included); errors read "<what>: <cause>".
Result<std::uint64_t> copyFileData(int inFd, int outFd, const std::string& what,
                                   std::uint64_t size = std::numeric_limits<std::uint64_t>::max());

/// Copies the tree at `src` to `dest`, which must not exist (its parent must): directories,
/// regular files (copy_file_range, so reflinks where the filesystem offers them; holes kept),
/// symlinks
/// (never followed), hard links within the tree (kept as links), device nodes, FIFOs (sockets
/// are skipped). Keeps modes (with setuid/setgid/sticky), owners (when running as root),
/// extended attributes in the `user.` and `security.` namespaces (as root) and modification
/// times. `dest` gets the attributes of `src`. Errors name the path: "cannot copy `a/b`: …".
/// Copies on `threads` threads (0: one per core, up to four); on an error every thread stops and
/// is joined before it is returned, and the partial copy is left for the caller to remove.
Result<CopyStats> copyTree(const std::string& src, const std::string& dest, unsigned threads = 0);

}  // namespace rkt::util

#endif  // RKT_CORE_UTIL_COPY_TREE_HPP
