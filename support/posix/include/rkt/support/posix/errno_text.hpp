// What a failed system call's errno says, worded once for the core, the support libraries and
// the in-tree plugins: C's own description ("No such file or directory"), which is also what
// rkt's stage1 diagnostics print, and the plugin status that fits it.
//
// Messages keep the house shape, lowercase and naming the object, with this text as the cause:
//   "cannot open pod `3f2a…`: No such file or directory".
#ifndef RKT_SUPPORT_POSIX_ERRNO_TEXT_HPP
#define RKT_SUPPORT_POSIX_ERRNO_TEXT_HPP

#include <cerrno>
#include <cstring>
#include <string>

#include "rkt/abi/plugin.h"
#include "rkt/base/result.hpp"

namespace rkt {
namespace posix {

/// C's description of `err`, or "Unknown error" for a number it does not know. A static string:
/// async-signal-safe, so usable in a child between fork(2) and execve(2).
inline const char* errnoDescription(int err) noexcept {
  const char* d = ::strerrordesc_np(err);
  return d != nullptr ? d : "Unknown error";
}

/// The text of `err` in messages: "No such file or directory" ("Unknown error 1234" for a number
/// C does not know, as strerror(3) says it).
inline std::string errnoText(int err) {
  if (::strerrordesc_np(err) == nullptr) {
    return "Unknown error " + std::to_string(err);
  }
  return errnoDescription(err);
}

/// The status a plugin reports for a system call that failed with `err`: RKT_E_NOT_FOUND
/// (ENOENT, ENOTDIR), RKT_E_PERMISSION (EACCES, EPERM), RKT_E_BUSY (EWOULDBLOCK: locked by
/// another process), RKT_E_IO for the failures of the system itself (EIO, ENOSPC, EMFILE, …).
/// Any other errno gets `otherwise`: RKT_E_IO, or RKT_E_INVALID for a caller whose library also
/// reports bad content with errno values (libarchive's EINVAL, EILSEQ).
inline rkt_status statusOfErrno(int err, rkt_status otherwise = RKT_E_IO) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return RKT_E_NOT_FOUND;
    case EACCES:
    case EPERM:
      return RKT_E_PERMISSION;
    case EWOULDBLOCK:
      return RKT_E_BUSY;
    case EIO:
    case ENOSPC:
    case EDQUOT:
    case EROFS:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EFBIG:
    case EBADF:
    case ESTALE:
    case ENXIO:
      return RKT_E_IO;
    default:
      return otherwise;
  }
}

}  // namespace posix

/// Error from errno: "<what>: <errno text>" with the errno kept.
inline Error sysError(const std::string& what, int err = errno) {
  return Error{what + ": " + posix::errnoText(err), err};
}

}  // namespace rkt

#endif  // RKT_SUPPORT_POSIX_ERRNO_TEXT_HPP
