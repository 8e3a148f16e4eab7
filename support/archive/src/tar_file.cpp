#include "rkt/support/archive/tar_file.hpp"

#include <archive.h>

namespace rkt::archive {

Result<TarFileReader> openTarFile(const std::string& path, std::size_t blockSize,
                                  const std::string& context) {
  TarFileReader a(archive_read_new(), archive_read_free);
  if (!a) {
    return Error{context + ": cannot initialize libarchive"};
  }
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), blockSize) != ARCHIVE_OK) {
    return Error{context + ": " + archive_error_string(a.get())};
  }
  return a;
}

}  // namespace rkt::archive
