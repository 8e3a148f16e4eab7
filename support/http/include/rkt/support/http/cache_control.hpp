// rkt's HTTP cache rules for downloaded images (rkt notes §4.3).
#ifndef RKT_SUPPORT_HTTP_CACHE_CONTROL_HPP
#define RKT_SUPPORT_HTTP_CACHE_CONTROL_HPP

#include <cstdint>
#include <string>

namespace rkt::http {

/// Seconds a response may be reused without asking the server again, from its Cache-Control
/// header: `no-store` / `no-cache` -> 0 (whatever else the header says), `max-age=N` -> N,
/// anything else (absent, malformed, negative, leading zeros) -> 0.
int64_t maxAgeFrom(const std::string& cacheControl);

/// True when a copy downloaded at `downloadTimeNs` (ns since the epoch) with `maxAge` seconds
/// is still fresh at `nowNs`: maxAge > 0 and fewer than maxAge whole seconds have passed.
bool stillFresh(int64_t downloadTimeNs, int64_t maxAge, int64_t nowNs);

/// Now, in nanoseconds since the Unix epoch.
int64_t nowNs();

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_CACHE_CONTROL_HPP
