// The hash of a rendered tree (rkt-notes §2.4), recorded in tree/<id>/hash at render time and
// compared by verify.
//
// The tree is walked depth first, each directory's entries in byte order of their names (Go's
// filepath.Walk). The top-level bookkeeping files (tree_files.hpp) and every socket are left
// out. Each entry adds one JSON object to the SHA-512 stream:
//   {"Name":"rootfs/bin/sh","Mode":511,"UID":0,"GID":0,"Size":0,"Typeflag":50,
//    "Linkname":"busybox","Devmajor":0,"Devminor":0,"Xattrs":[{"Name":"user.x","Value":"v"}]}
// (tar header semantics: Mode = permission, setuid, setgid and sticky bits; Typeflag the tar
// type byte '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device,
// '5' directory, '6' FIFO; Size only for files; Xattrs those extraction restores —
// `security.capability` and `user.*` — sorted by name; strings escaped as JSON with every byte
// outside printable ASCII as \u00XX). A regular file's object ends with
// ,"Digest":"<ContentDigest of its content, hex>" instead of the content following it: so a
// render can take the digests extraction computed while writing the files (rkt::archive
// FileDigests) instead of reading the whole tree back, SHA-256 is the faster of the two where
// the CPU has SHA extensions, and the holes of a sparse file are neither read nor hashed
// (ContentDigest counts runs of zero blocks; only the file's data segments are read). A file whose
// inode was already seen under another name is a hard link
// ('1', Linkname = the first name, no digest). The result is formatted like an image key
// ("sha512-" + 64 hex digits).
//
// Not byte-compatible with the hash files rkt (Go) wrote, nor with the earlier formats of this
// store (content inline; plain SHA-256 digests): such a tree fails verify and is rendered
// again, which is safe.
#ifndef RKT_CAS_TREE_HASH_HPP
#define RKT_CAS_TREE_HASH_HPP

#include <rkt/support/archive/extract.hpp>

#include <cstdint>
#include <string>

namespace rkt::cas {

struct TreeHash {
  std::string hash;  ///< "sha512-" + 64 hex digits
  int64_t size = 0;  ///< apparent size: st_size of every entry, the directory itself included,
                     ///< a file with several names once (tree_size.hpp)
  uint64_t entries = 0;
};

/// Hashes the tree at `treeDir`. Throws rkt::sdk::Error (RKT_E_IO, naming the entry) when an
/// entry cannot be read. `known`: content digests of files just extracted into the tree (by
/// inode); a file found there with the recorded size is not read. Only for a tree nobody else
/// can have changed since (render holds its exclusive lock); verify passes none.
TreeHash hashTree(const std::string& treeDir, const rkt::archive::FileDigests* known = nullptr);

}  // namespace rkt::cas

#endif  // RKT_CAS_TREE_HASH_HPP
