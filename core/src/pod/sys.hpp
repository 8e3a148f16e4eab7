// Small POSIX helpers shared by the pod library (internal).
#ifndef RKT_CORE_SRC_POD_SYS_HPP
#define RKT_CORE_SRC_POD_SYS_HPP

#include <sys/stat.h>

#include <chrono>
#include <string>
#include <string_view>

#include "rkt/core/result.hpp"

namespace rkt::pod::sys {

/// flock(2) with EINTR retried. Returns 0, or the errno (EWOULDBLOCK for a busy LOCK_NB).
int flockRetry(int fd, int operation);

/// Whole file relative to `dirFd` (AT_FDCWD for a path). A symlink as the last component is
/// refused (ELOOP) unless `followSymlink`: pod files are never symlinks.
Result<std::string> readFileAt(int dirFd, const std::string& rel, bool followSymlink = false);

/// `s` without leading and trailing ASCII whitespace (Go's strings.TrimSpace for ASCII).
std::string_view trimSpace(std::string_view s);

/// Strict decimal integer (optional leading '-'), after trimming whitespace.
bool parseInt(std::string_view s, long long& out);

std::chrono::system_clock::time_point toTimePoint(const struct timespec& ts);

}  // namespace rkt::pod::sys

#endif  // RKT_CORE_SRC_POD_SYS_HPP
