// Small HTTP(S) GETs for the core: public keys (`rkt trust URL`) and discovery pages
// (`rkt trust --prefix P` without a key). Image downloads are the fetcher plugins' job. Both go
// through support/http's client; the core reaches it in the rkt-http.so module.
#ifndef RKT_CORE_TRUST_HTTP_GET_HPP
#define RKT_CORE_TRUST_HTTP_GET_HPP

#include <chrono>
#include <cstddef>
#include <string>

#include "rkt/base/stall_timeout.hpp"
#include "rkt/core/config.hpp"
#include "rkt/core/result.hpp"

namespace rkt::trust {

/// How long an HTTP transfer may receive nothing before it fails (--http-stall-timeout): for
/// the core's requests and, through the fetch request, the fetchers' downloads.
inline constexpr std::chrono::milliseconds kDefaultHttpStallTimeout = kDefaultStallTimeout;

struct HttpGetOptions {
  /// Accept any certificate and host name (--insecure-options=tls).
  bool insecureTls = false;
  /// Follow redirects to plain http (--insecure-allow-http).
  bool allowHttp = false;
  /// auth.d credentials (basic, oauth, aws): sent only over https, only to the configured
  /// host[:port].
  const config::Config* config = nullptr;
  std::chrono::seconds connectTimeout{30};
  /// Whole request, as rkt's 2-minute client timeout for keys.
  std::chrono::seconds totalTimeout{120};
  /// Longest wait for any byte: "no data for 60s from `<url>`".
  std::chrono::milliseconds stallTimeout = kDefaultHttpStallTimeout;
  /// Larger bodies are refused (keys and discovery pages are small).
  std::size_t maxBody = 4u << 20;
};

struct HttpGetResult {
  int status = 0;
  std::string body;
};

/// GETs `url` with support/http's client (rkt::http::getPage): up to 10 redirects, proxies from
/// the environment, TLS verified against OpenSSL's default CA paths (SSL_CERT_FILE /
/// SSL_CERT_DIR override them), host name included. Transport errors are Errors with the cause
/// ("no data for 60s from `<url>`"); any HTTP status is a result, the body only of a 200.
Result<HttpGetResult> httpGet(const std::string& url, const HttpGetOptions& options);

}  // namespace rkt::trust

#endif  // RKT_CORE_TRUST_HTTP_GET_HPP
