// The stall timeout of HTTP transfers (--http-stall-timeout, docs/cli.md): a transfer that
// receives no byte for this long fails. One wording for the core's requests and the fetchers'.
#ifndef RKT_BASE_STALL_TIMEOUT_HPP
#define RKT_BASE_STALL_TIMEOUT_HPP

#include <chrono>
#include <string>

namespace rkt {

/// How long a transfer may receive nothing when nobody says otherwise.
inline constexpr std::chrono::milliseconds kDefaultStallTimeout{60'000};

/// Why a stalled transfer failed: "no data for 60s" (whole seconds), "no data for 1500ms".
inline std::string noDataFor(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  if (ms % 1000 == 0) {
    return "no data for " + std::to_string(ms / 1000) + "s";
  }
  return "no data for " + std::to_string(ms) + "ms";
}

}  // namespace rkt

#endif  // RKT_BASE_STALL_TIMEOUT_HPP
