// Reading and writing whole files and buffers through descriptors: short reads and writes and
// EINTR are handled here once.
#ifndef RKT_SUPPORT_POSIX_FILE_IO_HPP
#define RKT_SUPPORT_POSIX_FILE_IO_HPP

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "rkt/base/result.hpp"

namespace rkt::posix {

/// read(2) of up to `cap` bytes, retried on EINTR: the count, 0 at the end of the file, or -1
/// with errno set.
ssize_t readSome(int fd, void* buf, std::size_t cap);

/// Appends everything from the file offset of `fd` to its end to `out`. False with errno set
/// (what was read so far stays in `out`).
bool readAll(int fd, std::string& out);

/// Writes all `len` bytes, retrying short writes and EINTR. False with errno set (EIO when the
/// descriptor takes no more bytes without saying why).
bool writeAll(int fd, const void* data, std::size_t len);
inline bool writeAll(int fd, std::string_view data) {
  return writeAll(fd, data.data(), data.size());
}

/// The whole file `path`, relative to the directory `dirFd` (AT_FDCWD: the working directory).
/// A symlink as the last component is refused (ELOOP) unless `followSymlink`. Errors: "cannot
/// open `<path>`: …" or "cannot read `<path>`: …" with the errno.
Result<std::string> readFileAt(int dirFd, const std::string& path, bool followSymlink = false);

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_FILE_IO_HPP
