// The function table of the internal module rkt-archive.so (core/modules/archive), shared by the
// module and its callers (image/verify.cpp, pod/export.cpp, image/extract.cpp). Both are built
// together. libarchive and its compression stack are mapped only by the commands that read,
// write or unpack an ACI themselves, not by every rkt start (docs/run.md, start latency).
#ifndef RKT_CORE_SRC_UTIL_ARCHIVE_MODULE_HPP
#define RKT_CORE_SRC_UTIL_ARCHIVE_MODULE_HPP

#include <cstdint>
#include <optional>
#include <string>

#include "rkt/core/pod/export.hpp"
#include "rkt/core/result.hpp"

namespace rkt::util {

inline constexpr char kArchiveModule[] = "rkt-archive.so";
inline constexpr char kArchiveModuleEntry[] = "rkt_internal_archive_v1";

struct ArchiveModule {
  /// The bytes of the `manifest` entry of the ACI at `path` (gzip, bzip2, xz or plain tar),
  /// not parsed. Errors: "cannot read image `<name>`: …" (`name`: what the user knows the file
  /// by, e.g. the URL it was downloaded from).
  Result<std::string> (*readManifest)(const std::string& path, const std::string& name) = nullptr;
  /// pod::writeAci (pod/export.hpp); `unshift` is pod::unshiftId.
  Status (*writeAci)(int fd, const std::string& rootDir, const std::string& manifest,
                     const std::optional<pod::UidRange>& range,
                     Result<std::uint32_t> (*unshift)(const pod::UidRange&,
                                                      std::uint32_t)) = nullptr;
  /// image::extractImage (image/extract.hpp).
  Status (*extractImage)(const std::string& blob, const std::string& dir, bool rootfsOnly,
                         const std::string& image) = nullptr;
};

/// The loaded module's table, or "cannot load the internal module `rkt-archive.so`: …".
Result<const ArchiveModule*> archiveModule();

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_ARCHIVE_MODULE_HPP
