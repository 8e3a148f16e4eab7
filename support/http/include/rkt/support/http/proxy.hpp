// Proxy selection from the environment, the way Go's http.ProxyFromEnvironment does it (rkt
// downloads honour it): HTTPS_PROXY / https_proxy for https URLs, HTTP_PROXY / http_proxy for
// http URLs, NO_PROXY / no_proxy exclusions; loopback hosts are never proxied.
#ifndef RKT_SUPPORT_HTTP_PROXY_HPP
#define RKT_SUPPORT_HTTP_PROXY_HPP

#include <Poco/URI.h>

#include <cstdint>
#include <optional>
#include <string>

namespace rkt::http {

struct Proxy {
  std::string host;
  uint16_t port = 0;
  std::string username;
  std::string password;
};

/// The proxy to use for `uri`, if any. Only http:// proxies are supported (a proxy URL without
/// a scheme means http); an unusable proxy URL throws rkt::sdk::Error(RKT_E_INVALID).
/// NO_PROXY entries: "*" (everything), a host or domain ("example.com" also matches its
/// subdomains, ".example.com" only them), optionally with ":port"; IP literals match exactly.
std::optional<Proxy> proxyFor(const Poco::URI& uri);

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_PROXY_HPP
