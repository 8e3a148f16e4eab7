// Expected failures as values: every fallible core function returns Result<T>.
//
// Messages follow the house style: lowercase, the object named in backticks, the cause kept:
//   "cannot open pod `3f2a…`: no such file or directory" (errno text and rkt::sysError:
//   rkt/support/posix/errno_text.hpp).
#ifndef RKT_BASE_RESULT_HPP
#define RKT_BASE_RESULT_HPP

#include <string>
#include <utility>
#include <variant>

namespace rkt {

/// A failure: a complete one-line message and, when a system call failed, its errno.
struct Error {
  std::string message;
  int sysErrno = 0;

  /// Prefixes the message with context: err.wrap("cannot load `x`") -> "cannot load `x`: <msg>".
  Error wrap(const std::string& context) const { return Error{context + ": " + message, sysErrno}; }
};

/// Either a T or an Error. Construct from a T (success) or an Error (failure).
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

/// Success or an Error, for functions with nothing to return.
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

}  // namespace rkt

#endif  // RKT_BASE_RESULT_HPP
