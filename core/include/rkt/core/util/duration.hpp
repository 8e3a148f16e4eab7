// Go's time.Duration text form, which rkt's duration flags use (`--grace-period=24h0m0s`).
#ifndef RKT_CORE_UTIL_DURATION_HPP
#define RKT_CORE_UTIL_DURATION_HPP

#include <chrono>
#include <string>
#include <string_view>

#include "rkt/core/result.hpp"

namespace rkt::util {

/// Go's time.ParseDuration: an optional sign, then one or more decimal numbers (with an optional
/// fraction) each followed by a unit (ns, us, µs, ms, s, m, h); "0" alone is allowed. Errors use
/// Go's words: `time: invalid duration "x"`, `time: missing unit in duration "1"`,
/// `time: unknown unit "d" in duration "1d"`.
Result<std::chrono::nanoseconds> parseGoDuration(std::string_view text);

/// Go's Duration.String: "24h0m0s", "1m30s", "1.5s", "300ms", "0s".
std::string formatGoDuration(std::chrono::nanoseconds d);

}  // namespace rkt::util

#endif  // RKT_CORE_UTIL_DURATION_HPP
