// Expected failures as values for the archive support library.
//
// The library is linked by the core and by store plugins, so it cannot use the core's
// rkt::Result; this is the same shape (message + errno), trivially convertible by the caller.
// Messages follow the house style: lowercase, the object named in backticks, the cause kept.
#ifndef RKT_SUPPORT_ARCHIVE_RESULT_HPP
#define RKT_SUPPORT_ARCHIVE_RESULT_HPP

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace rkt::archive {

/// A failure: a complete one-line message and, when a system call failed, its errno.
struct Error {
  std::string message;
  int sysErrno = 0;

  /// Prefixes the message with context: err.wrap("cannot import `x`") -> "cannot import `x`:
  /// <msg>".
  Error wrap(const std::string& context) const { return Error{context + ": " + message, sysErrno}; }
};

/// Error from errno: "<what>: <strerror(err)>" (lowercased, as house style wants) with the errno
/// kept: "cannot open `x`: no such file or directory".
inline Error sysError(const std::string& what, int err = errno) {
  std::string cause = std::strerror(err);
  if (cause.size() > 1 && cause[0] >= 'A' && cause[0] <= 'Z' && cause[1] >= 'a' &&
      cause[1] <= 'z') {
    cause[0] = static_cast<char>(cause[0] - 'A' + 'a');
  }
  return Error{what + ": " + cause, err};
}

/// Either a T or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  /// Precondition: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  /// Precondition: !ok().
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/// Success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_RESULT_HPP
