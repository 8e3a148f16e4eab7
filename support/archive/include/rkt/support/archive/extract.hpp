// Safe extraction of a tar stream (an uncompressed ACI from the store, or any tar, optionally
// gzip/bzip2/xz compressed) into a directory.
//
// Guarantee: whatever the archive says, nothing is created, modified or removed outside the
// target directory. Every path is resolved from a descriptor of the target, one directory at a
// time, never following a symlink (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or an O_NOFOLLOW
// component walk on kernels without it); final components are created exclusively and never
// opened through a symlink. Consequences for hostile archives:
//  - a leading `/` is stripped (as tar does); a name or hard-link target whose `..` climbs above
//    the archive root is an error;
//  - an entry below a symlink (`a` -> `/`, then `a/x`) is an error: it would write through it;
//  - an entry at the path of an existing symlink replaces the symlink (OnExisting::Replace) or is
//    an error (OnExisting::Fail); the symlink is never followed;
//  - hard links are made to the inode at their target path inside the target, without following
//    a symlink there (linking a symlink makes another symlink);
//  - device nodes and FIFOs are created inside the target (that is what rkt preserves).
#ifndef RKT_SUPPORT_ARCHIVE_EXTRACT_HPP
#define RKT_SUPPORT_ARCHIVE_EXTRACT_HPP

#include <rkt/base/result.hpp>
#include <rkt/support/archive/image_limits.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace rkt::archive {

enum class EntryType { File, Directory, Symlink, HardLink, CharDevice, BlockDevice, Fifo };

/// An archive entry as the filter sees it.
struct EntryInfo {
  std::string path;      ///< cleaned archive name, e.g. "rootfs/bin/sh" ("" = the archive root)
  std::string destPath;  ///< where it lands, relative to the target ("" = the target itself)
  EntryType type = EntryType::File;
  std::uint32_t mode = 0;  ///< permission bits including setuid, setgid and sticky
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  std::int64_t size = 0;
  std::string linkTarget;  ///< symlink: verbatim; hard link: cleaned archive name of its target
};

/// appc pathWhitelist filtering (rkt-notes §4.7). Paths are absolute below `root`: "/bin/sh"
/// means archive entry "rootfs/bin/sh". Entries not below `root` are not affected, and `root`
/// itself always passes.
struct PathWhitelist {
  std::string root = "rootfs";
  std::unordered_set<std::string> paths;
  /// false: the image's own whitelist (directories always pass);
  /// true: an upper image's whitelist (filters every entry, directories too).
  bool filterDirectories = false;
};

enum class OnExisting {
  Replace,  ///< an existing non-directory (or empty directory) is removed first; dirs merge
  Fail,     ///< an existing non-directory at an entry's path is an error; dirs merge
};

/// The ContentDigest (digest.hpp) of a regular file's content as extraction wrote it (holes
/// read as zeros), and the file's size then.
struct FileDigest {
  std::uint64_t size = 0;
  std::array<std::uint8_t, 32> digest{};
};
/// By (st_dev, st_ino) of the file written. A caller that hashes the tree it just extracted uses
/// them instead of reading every file back; an inode written twice holds the last content.
using FileDigests = std::map<std::pair<std::uint64_t, std::uint64_t>, FileDigest>;

struct ExtractOptions {
  /// Only entries at or below this archive directory are extracted (e.g. "rootfs").
  std::string prefix;
  /// Extract the prefix's content directly into the target (the prefix entry's own attributes
  /// then apply to the target directory). Hard links must then point inside the prefix.
  bool stripPrefix = false;
  /// Every whitelist must let an entry through.
  std::vector<PathWhitelist> whitelists;
  /// Called for each entry that passed prefix and whitelists; return false to skip it (e.g.
  /// "upper wins" rendering: a path an upper image already provided).
  std::function<bool(const EntryInfo&)> filter;
  OnExisting onExisting = OnExisting::Replace;
  /// Restore uid/gid; default: when running as root.
  std::optional<bool> preserveOwnership;
  /// When set ("sha512-" + 64 or more hex digits), the uncompressed stream must hash to it;
  /// a mismatch is an error reported after extraction (the caller removes the tree, as rkt does).
  std::string expectedKey;
  /// When set, the digest of every regular file written is recorded here (entries are added;
  /// several extractions into one tree may share the map).
  FileDigests* fileDigests = nullptr;
  /// When set, the archive is an ACI and must follow the rules import applies, within these
  /// limits (image_limits.hpp): every entry is checked before the prefix, whitelists and filter
  /// see it, and the first one that breaks a rule is an error naming it. Without it any tar is
  /// extracted (duplicates: the last one wins).
  std::optional<ImageLimits> imageRules;
  /// What error messages start with, e.g. "cannot render image `example.com/x`" (default:
  /// "cannot extract `<archive path>`").
  std::string context;
};

struct ExtractStats {
  std::uint64_t entries = 0;  ///< headers read
  std::uint64_t files = 0;
  std::uint64_t directories = 0;
  std::uint64_t symlinks = 0;
  std::uint64_t hardlinks = 0;
  std::uint64_t nodes = 0;  ///< devices and FIFOs
  std::uint64_t skipped = 0;
  std::uint64_t bytes = 0;  ///< file data written
};

/// Extracts the tar at `archivePath` into the existing directory `targetDir`. On error the
/// target may hold part of the archive; it never holds anything outside itself. Errors name the
/// archive and the entry: "cannot extract `x.tar`: entry `rootfs/a/x`: `rootfs/a` is a symlink".
Result<ExtractStats> extractTar(const std::string& archivePath, const std::string& targetDir,
                                const ExtractOptions& options = {});

/// Same, reading from `fd` to its end (not closed); `name` is used in messages.
Result<ExtractStats> extractTarFd(int fd, const std::string& name, const std::string& targetDir,
                                  const ExtractOptions& options = {});

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_EXTRACT_HPP
