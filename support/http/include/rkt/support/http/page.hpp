// Small whole responses read into memory: appc discovery pages (the appc fetcher, `rkt trust
// --prefix`) and public keys (`rkt trust URL`).
#ifndef RKT_SUPPORT_HTTP_PAGE_HPP
#define RKT_SUPPORT_HTTP_PAGE_HPP

#include <cstddef>
#include <string>

#include "rkt/support/http/client.hpp"

namespace rkt::http {

/// Discovery pages and keys are small; a larger body is refused rather than buffered.
inline constexpr std::size_t kMaxPageSize = 4u << 20;

struct Page {
  int status = 0;
  std::string body;  ///< read only for status 200
};

/// GETs `url` with `client` (its redirects, credentials, proxies, timeouts) and reads the body of
/// a 200 answer whole. Any status is a result. Throws rkt::sdk::Error with the cause, naming the
/// URL that stopped answering ("no data for 60s from `<url>`", "no complete response within
/// 120s from `<url>`"), or "response larger than 4194304 bytes".
Page getPage(HttpClient& client, const std::string& url, std::size_t maxSize = kMaxPageSize);

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_PAGE_HPP
