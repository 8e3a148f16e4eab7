// The stall timeout a fetch request asks for (ABI 1.3 `http_stall_timeout_ms`, set from
// --http-stall-timeout), as the fetchers hand it to support/http's client.
#ifndef RKT_SUPPORT_FETCH_STALL_TIMEOUT_HPP
#define RKT_SUPPORT_FETCH_STALL_TIMEOUT_HPP

#include <chrono>

#include "rkt/base/stall_timeout.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"

namespace rkt::fetch {

/// The request's `http_stall_timeout_ms`, or kDefaultStallTimeout when it has none (an older
/// core, or 0).
inline std::chrono::milliseconds stallTimeoutOf(const protocol::fetcher::FetchRequest& request) {
  return request.httpStallTimeoutMs > 0 ? std::chrono::milliseconds(request.httpStallTimeoutMs)
                                        : kDefaultStallTimeout;
}

}  // namespace rkt::fetch

#endif  // RKT_SUPPORT_FETCH_STALL_TIMEOUT_HPP
