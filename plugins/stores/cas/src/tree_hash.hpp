// The hash of a rendered tree (rkt-notes §2.4), recorded in tree/<id>/hash at render time and
// compared by verify.
//
// The tree is walked depth first, each directory's entries in byte order of their names (Go's
// filepath.Walk). The top-level files `manifest`, `hash`, `rendered` and `image` and every
// socket are left out. Each entry adds one JSON object to the SHA-512 stream:
//   {"Name":"rootfs/bin/sh","Mode":511,"UID":0,"GID":0,"Size":0,"Typeflag":50,
//    "Linkname":"busybox","Devmajor":0,"Devminor":0,"Xattrs":[{"Name":"user.x","Value":"v"}]}
// (tar header semantics: Mode = permission, setuid, setgid and sticky bits; Typeflag the tar
// type byte '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device,
// '5' directory, '6' FIFO; Size only for files; Xattrs those extraction restores —
// `security.capability` and `user.*` — sorted by name; strings escaped as JSON with every byte
// outside printable ASCII as \u00XX), followed for a regular file by its content. A file whose
// inode was already seen under another name is a hard link ('1', Linkname = the first name,
// no content). The result is formatted like an image key ("sha512-" + 64 hex digits).
//
// Not byte-compatible with the hash files rkt (Go) wrote: a tree rendered by rkt fails verify
// and is rendered again, which is safe.
#ifndef RKT_CAS_TREE_HASH_HPP
#define RKT_CAS_TREE_HASH_HPP

#include <cstdint>
#include <string>

namespace rkt::cas {

struct TreeHash {
  std::string hash;  ///< "sha512-" + 64 hex digits
  int64_t size = 0;  ///< apparent size: st_size of every entry, the directory itself included
  uint64_t entries = 0;
};

/// Hashes the tree at `treeDir`. Throws rkt::sdk::Error (RKT_E_IO, naming the entry) when an
/// entry cannot be read.
TreeHash hashTree(const std::string& treeDir);

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_HASH_HPP
