// The one owner of a file descriptor in the tree: closes it when the owner goes, hands it on by
// move. Core, support libraries and plugins all use this one.
#ifndef RKT_SUPPORT_POSIX_UNIQUE_FD_HPP
#define RKT_SUPPORT_POSIX_UNIQUE_FD_HPP

#include <unistd.h>

#include <string>
#include <utility>

namespace rkt::posix {

/// Owns a file descriptor (or none: -1); closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  /// Takes ownership of `fd`; a negative value (a failed open) owns nothing.
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset(other.release());
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  /// Gives up ownership: returns the descriptor, which the caller now closes.
  int release() noexcept { return std::exchange(fd_, -1); }
  /// Closes the descriptor held (its close(2) error is lost: a caller that must know closes
  /// release() itself) and takes `fd`.
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }
  /// "/proc/self/fd/<fd>": names the object the descriptor refers to, for calls that take a
  /// path (mount(2)) without resolving the original path again.
  std::string procPath() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_ = -1;
};

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_UNIQUE_FD_HPP
