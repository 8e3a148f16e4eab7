// Small descriptor helpers shared by the archive library (internal).
#ifndef RKT_SUPPORT_ARCHIVE_SRC_FD_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_FD_HPP

#include <rkt/base/result.hpp>

#include <unistd.h>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

namespace rkt::archive::detail {

/// Reads up to `cap` bytes, retrying on EINTR; 0 means end of file. Returns -1 with errno set.
inline ssize_t readSome(int fd, void* buf, std::size_t cap) {
  for (;;) {
    ssize_t n = ::read(fd, buf, cap);
    if (n >= 0 || errno != EINTR)
      return n;
  }
}

/// Writes all of `buf`, retrying short writes and EINTR. Returns false with errno set.
inline bool writeAll(int fd, const void* buf, std::size_t len) {
  auto* p = static_cast<const std::uint8_t*>(buf);
  while (len > 0) {
    ssize_t n = ::write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    if (n == 0) {
      errno = EIO;
      return false;
    }
    p += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_FD_HPP
