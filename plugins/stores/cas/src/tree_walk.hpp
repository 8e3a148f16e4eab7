// The walk the tree hash and the tree fingerprint share: depth first, each directory's entries
// in byte order of their names (Go's filepath.Walk), every entry reached through a descriptor
// of its directory.
//
// Descriptors: one per level for the first levels (128, or fewer under a low descriptor limit:
// rkt::archive::descriptorBudget); a deeper directory is held
// only while its own entries are visited and is opened again, relative to the deepest held
// one, after each of its subdirectories. Such relative paths are at most a path of the image
// long (within its limits, docs/store.md: under PATH_MAX), so a tree of any depth the limits
// allow is walked with a bounded number of descriptors and no path longer than PATH_MAX.
#ifndef RKT_CAS_TREE_WALK_HPP
#define RKT_CAS_TREE_WALK_HPP

#include <sys/stat.h>

#include <functional>
#include <string>

namespace rkt::cas {

/// An entry as walkTree shows it (valid during the call only).
struct TreeEntry {
  int dirFd;                ///< its directory
  const std::string& name;  ///< its name in dirFd
  const std::string& rel;   ///< its path below the root
  const struct stat& st;    ///< lstat(2) of it
  int fd;                   ///< a directory: open O_RDONLY; anything else: -1
};

/// Visits every entry below `root` (not the root itself); a directory's entries follow it when
/// `visit` returns true. Throws rkt::sdk::Error (RKT_E_IO) naming the entry it cannot read.
void walkTree(const std::string& root, const std::function<bool(const TreeEntry&)>& visit);

/// "/proc/self/fd/<dirFd>/<name>": a path to an entry for the calls that have no *at form
/// (l*xattr), short whatever the entry's own path.
std::string procPathOf(int dirFd, const std::string& name);

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_WALK_HPP
