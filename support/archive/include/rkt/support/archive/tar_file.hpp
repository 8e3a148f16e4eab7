// Reading a tar file from disk, compressed (gzip, bzip2, xz) or not, with libarchive: the one
// way the core's archive module and support/oci open such files when they only list or scan
// entries (extraction goes through extract.hpp's guarded path).
#ifndef RKT_SUPPORT_ARCHIVE_TAR_FILE_HPP
#define RKT_SUPPORT_ARCHIVE_TAR_FILE_HPP

#include <cstddef>
#include <memory>
#include <string>

#include "rkt/base/result.hpp"

struct archive;

namespace rkt::archive {

/// A libarchive read handle, freed with it.
using TarFileReader = std::unique_ptr<struct archive, int (*)(struct archive*)>;

/// Opens PATH for reading its entries with archive_read_next_header(), reading BLOCK_SIZE bytes
/// at a time. On failure the error is "<context>: <libarchive's message>".
Result<TarFileReader> openTarFile(const std::string& path, std::size_t blockSize,
                                  const std::string& context);

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_TAR_FILE_HPP
