// Small helpers shared by the pod library (internal): flock with EINTR retried, parsing of the
// numbers and times pod files hold. Descriptors, whole files and fsync: support/posix.
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

/// `s` without leading and trailing ASCII whitespace (Go's strings.TrimSpace for ASCII).
std::string_view trimSpace(std::string_view s);

/// Strict decimal integer (optional leading '-'), after trimming whitespace.
bool parseInt(std::string_view s, long long& out);

std::chrono::system_clock::time_point toTimePoint(const struct timespec& ts);

}  // namespace rkt::pod::sys

#endif  // RKT_CORE_SRC_POD_SYS_HPP
