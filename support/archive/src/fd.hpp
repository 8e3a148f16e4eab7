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

/// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o)
      reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

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
