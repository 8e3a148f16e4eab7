// Failures as rkt::sdk::Error, for plugins built on the SDK (which fail a call by throwing):
// the errno text and status of errno_text.hpp, so a plugin's message reads like the core's.
#ifndef RKT_SUPPORT_POSIX_THROW_SYS_HPP
#define RKT_SUPPORT_POSIX_THROW_SYS_HPP

#include <cerrno>
#include <string>
#include <utility>

#include "rkt/base/result.hpp"
#include "rkt/sdk/error.hpp"
#include "rkt/support/posix/errno_text.hpp"

namespace rkt::posix {

/// Throws sdk::Error("<what>: <errno text>", status of `err`, errno `err`).
[[noreturn]] inline void throwSys(const std::string& what, int err = errno) {
  throw sdk::Error(statusOfErrno(err), what + ": " + errnoText(err), err);
}

/// Throws `error` as an sdk::Error: its message, its errno and the status that errno says
/// (`otherwise` when it has none or another; see statusOfErrno).
[[noreturn]] inline void throwError(const Error& error, rkt_status otherwise = RKT_E_IO) {
  throw sdk::Error(statusOfErrno(error.sysErrno, otherwise), error.message, error.sysErrno);
}

/// Throws a failed `status` (throwError); does nothing on success.
inline void throwIfFailed(const Status& status) {
  if (!status) {
    throwError(status.error());
  }
}

/// The value of `result`, or its error thrown (throwError).
template <class T>
T valueOrThrow(Result<T> result) {
  if (!result) {
    throwError(result.error());
  }
  return std::move(result).value();
}

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_THROW_SYS_HPP
