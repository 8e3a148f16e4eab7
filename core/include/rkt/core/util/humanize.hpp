// Human-readable sizes and times exactly as rkt prints them (its vendored go-humanize and Go's
// time formatting), for `rkt image list` and `rkt list`.
#ifndef RKT_CORE_UTIL_HUMANIZE_HPP
#define RKT_CORE_UTIL_HUMANIZE_HPP

#include <chrono>
#include <cstdint>
#include <string>

namespace rkt::util {

using SystemTime = std::chrono::system_clock::time_point;

/// go-humanize IBytes as vendored by rkt: IEC units without a space, one decimal below 10
/// ("9B", "1.0KiB", "12MiB", "1.5GiB").
std::string humanizeIBytes(std::uint64_t bytes);

/// go-humanize Time(then) relative to `now`: "now", "1 second ago", "12 seconds ago",
/// "1 minute ago", "3 hours ago", "1 day ago", "2 weeks ago", "1 month ago", "1 year ago",
/// "2 years ago", "5 years ago", "a long while ago"; "... from now" for future times.
std::string humanizeTime(SystemTime then, SystemTime now = std::chrono::system_clock::now());

/// Go's Time.Format("2006-01-02 15:04:05.999 -0700 MST") in the local time zone (rkt's long
/// time layout): milliseconds with trailing zeros dropped ("12:30:33.65", "12:30:33").
std::string formatLongTime(SystemTime t);

}  // namespace rkt::util

#endif  // RKT_CORE_UTIL_HUMANIZE_HPP
