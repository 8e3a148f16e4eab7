// What a failed system call's errno says, worded once for the core, the support libraries and
// the in-tree plugins: Go's wording ("no such file or directory"), which is what rkt (Go)
// printed and scripts match; C's own ("No such file or directory") only for the lines rkt's C
// stage1 diagnostics printed; and the plugin status that fits an errno.
//
// Messages keep the house shape, lowercase and naming the object, with this text as the cause:
//   "cannot open pod `3f2a…`: no such file or directory".
#ifndef RKT_SUPPORT_POSIX_ERRNO_TEXT_HPP
#define RKT_SUPPORT_POSIX_ERRNO_TEXT_HPP

#include <cerrno>
#include <cstddef>
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

/// C's text of `err` as strerror(3) words it ("Unknown error 1234" for a number C does not
/// know): only for the diagnostics rkt's C stage1 printed ("Error: Unable to open …").
inline std::string strerrorText(int err) {
  if (::strerrordesc_np(err) == nullptr) {
    return "Unknown error " + std::to_string(err);
  }
  return errnoDescription(err);
}

/// Go's text of `err` (syscall.Errno.Error()) written into `buf`, which it returns; no
/// allocation, so async-signal-safe. Go's table is C's descriptions with the first letter
/// lowercased unless the second is a capital too ("RFS specific error"), except ESTALE's older
/// wording; numbers it lacks (0, unassigned ones, those after ERFKILL) are "errno N".
inline const char* errnoTextInto(int err, char* buf, size_t size) noexcept {
  constexpr int kGoLastErrno = 132;  // ERFKILL: Go's table ends there
  const char* c = ::strerrordesc_np(err);
  if (size == 0) {
    return buf;
  }
  size_t n = 0;
  auto put = [&](char ch) {
    if (n + 1 < size) {
      buf[n++] = ch;
    }
  };
  if (c == nullptr || err <= 0 || err > kGoLastErrno) {
    for (const char* p = "errno "; *p != '\0'; ++p) {
      put(*p);
    }
    char digits[12];
    int d = 0;
    unsigned v = err < 0 ? 0u - static_cast<unsigned>(err) : static_cast<unsigned>(err);
    do {
      digits[d++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    if (err < 0) {
      put('-');
    }
    while (d > 0) {
      put(digits[--d]);
    }
  } else {
    if (err == ESTALE) {
      c = "stale NFS file handle";
    }
    for (const char* p = c; *p != '\0'; ++p) {
      char ch = *p;
      if (p == c && ch >= 'A' && ch <= 'Z' && p[1] >= 'a' && p[1] <= 'z') {
        ch = static_cast<char>(ch - 'A' + 'a');
      }
      put(ch);
    }
  }
  buf[n] = '\0';
  return buf;
}

/// The text of `err` in messages, Go's: "no such file or directory", "errno 1234".
inline std::string errnoText(int err) {
  char buf[128];
  return errnoTextInto(err, buf, sizeof buf);
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
