// One-pass ACI import: the compressed image is read and decompressed exactly once; the
// uncompressed tar is hashed (SHA-512), written to a temporary file and parsed for its `manifest`
// entry as it streams by. This is what the image store needs to add an image: the key, the blob
// to publish and the manifest to validate.
#ifndef RKT_SUPPORT_ARCHIVE_IMPORT_HPP
#define RKT_SUPPORT_ARCHIVE_IMPORT_HPP

#include <rkt/base/result.hpp>
#include <rkt/support/archive/file.hpp>
#include <rkt/support/archive/image_limits.hpp>

#include <cstdint>
#include <string>

namespace rkt::archive {

/// The compressions appc allows, detected from the first bytes (never from the file name).
enum class Compression { None, Gzip, Bzip2, Xz };

/// "none", "gzip", "bzip2", "xz".
const char* compressionName(Compression c);

/// The store key for a full lowercase hex SHA-512: "sha512-" + its first 64 hex digits.
std::string imageKeyFromDigest(const std::string& sha512Hex);

struct ImportOptions {
  /// An image beyond these is refused as soon as the entry that crosses one streams by.
  ImageLimits limits;
  /// Prefix of the temporary file's name inside the temp directory.
  std::string tempPrefix = "import-";
  /// Hold an exclusive flock(2) on the temporary file while it is pending
  /// (PendingFile::createLocked): for temp directories swept of unlocked leftovers.
  bool lockTempFile = false;
};

struct ImportedImage {
  /// The uncompressed tar, in the temp directory; removed unless the caller publishes it.
  PendingFile blob;
  std::string sha512;      ///< full lowercase hex digest of the uncompressed tar
  std::string key;         ///< "sha512-" + first 64 hex digits
  std::uint64_t size = 0;  ///< uncompressed size in bytes
  Compression compression = Compression::None;
  std::string manifest;       ///< the exact bytes of the `manifest` entry (not validated)
  std::uint64_t entries = 0;  ///< tar entries read
};

/// Imports the ACI at `path`. Errors name the file: "cannot import `x.aci`: truncated gzip data".
/// A corrupt or truncated compressed stream, a damaged or truncated tar, and an entry that
/// breaks the image rules (image_limits.hpp and docs/store.md: a missing, duplicate or
/// non-regular `manifest`, a path outside `manifest` and `rootfs/`, a path listed twice or
/// below a symlink of the image, a hard link that is not to an earlier entry, a limit
/// exceeded) are errors, and then no temporary file is left behind. The manifest's content is
/// the caller's to validate.
Result<ImportedImage> importAci(const std::string& path, const std::string& tempDir,
                                const ImportOptions& options = {});

/// Same, reading from `fd` (a file, a pipe, a socket); `name` is used in messages. `fd` is read
/// to its end and not closed.
Result<ImportedImage> importAciFd(int fd, const std::string& name, const std::string& tempDir,
                                  const ImportOptions& options = {});

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_IMPORT_HPP
