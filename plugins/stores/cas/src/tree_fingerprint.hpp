// The fingerprint of a rendered tree: what lstat(2) says of every entry the tree hash covers,
// hashed. `rkt image render` compares it with the one recorded in tree/<id>/fingerprint and
// reads the tree's content (the tree hash, tree_hash.hpp) only when they differ; `rkt image
// verify` always reads the content. rkt hashed the whole tree before every render — as much
// work as the copy itself (docs/store.md, "Speed").
//
// Why a matching fingerprint means an unchanged tree: every change made through the filesystem
// to a file's content, owner, mode, links or extended attributes, and every entry added to,
// removed from or renamed in a directory, sets the change time (ctime) of the inode concerned
// to the current time, which no system call can set back; an entry replaced by another has
// another inode number. The fingerprint records per entry (by path, in byte order): inode,
// type and mode, owner, link count, size, device number, modification and change times.
// Caveat, as with git's index: a change made within the same tick of the filesystem's clock as
// the entry's previous change keeps the same ctime. So a fingerprint is recorded only once that
// clock has moved past `newestChange` (TreeStore does this); a later change then shows.
// Not seen: changes below the filesystem (its device edited offline); `image verify` is for
// those. Each record is about a hundred bytes, so the hash (sha512Key: Poco's SHA-512, no
// libcrypto in the plugin) is a small part of the walk's cost, which is one lstat per entry.
#ifndef RKT_CAS_TREE_FINGERPRINT_HPP
#define RKT_CAS_TREE_FINGERPRINT_HPP

#include <time.h>

#include <cstdint>
#include <string>

namespace rkt::cas {

struct TreeFingerprint {
  std::string digest;               ///< "sha512-" + 64 hex digits
  struct timespec newestChange {};  ///< the latest ctime among the entries
  uint64_t entries = 0;
};

/// Fingerprints the tree at `treeDir` (rootfs/ and whatever else is not bookkeeping,
/// tree_files.hpp). Throws rkt::sdk::Error (RKT_E_IO, naming the entry) when an entry cannot be
/// read.
TreeFingerprint fingerprintTree(const std::string& treeDir);

/// a > b.
bool isLater(const struct timespec& a, const struct timespec& b);

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_FINGERPRINT_HPP
