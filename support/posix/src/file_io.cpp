#include "rkt/support/posix/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "rkt/base/shorten.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::posix {

ssize_t readSome(int fd, void* buf, std::size_t cap) {
  for (;;) {
    const ssize_t n = ::read(fd, buf, cap);
    if (n >= 0 || errno != EINTR) {
      return n;
    }
  }
}

bool readAll(int fd, std::string& out) {
  char buf[65536];
  for (;;) {
    const ssize_t n = readSome(fd, buf, sizeof buf);
    if (n < 0) {
      return false;
    }
    if (n == 0) {
      return true;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

bool writeAll(int fd, const void* data, std::size_t len) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (len > 0) {
    const ssize_t n = ::write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
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

Result<std::string> readFileAt(int dirFd, const std::string& path, bool followSymlink) {
  const UniqueFd fd(
      ::openat(dirFd, path.c_str(), O_RDONLY | O_CLOEXEC | (followSymlink ? 0 : O_NOFOLLOW)));
  if (!fd.valid()) {
    return sysError("cannot open `" + shownName(path) + "`");
  }
  std::string out;
  if (!readAll(fd.get(), out)) {
    return sysError("cannot read `" + shownName(path) + "`");
  }
  return out;
}

}  // namespace rkt::posix
