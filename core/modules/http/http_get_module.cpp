// rkt-http.so: support/http's client behind trust::httpGet (core/src/trust/http_get.cpp), an
// internal module loaded on first use so that commands which never fetch keys (rkt run, rkt
// list, ...) do not map Poco Net/NetSSL and libssl at start. Same build as the core: C++ types
// cross this boundary (trust/http_module.hpp; it is not a third-party plugin).
#include <exception>

#include "rkt/support/http/client.hpp"
#include "rkt/support/http/page.hpp"
#include "trust/http_module.hpp"

namespace {

rkt::http::HttpOptions clientOptions(const rkt::trust::HttpGetOptions& options,
                                     const std::vector<rkt::http::AuthEntry>& auth) {
  rkt::http::HttpOptions o;
  o.insecureTls = options.insecureTls;
  o.allowHttp = options.allowHttp;
  o.allowHttpFlag = "--insecure-allow-http";
  o.userAgent = std::string("rkt/") + RKT_VERSION_STRING;
  o.auth = auth;
  o.connectTimeout = options.connectTimeout;
  o.stallTimeout = options.stallTimeout;
  o.totalTimeout = options.totalTimeout;
  return o;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int rkt_internal_http_get_v2(
    const std::string* url, const rkt::trust::HttpGetOptions* options,
    const std::vector<rkt::http::AuthEntry>* auth, rkt::trust::HttpGetResult* result,
    std::string* error) {
  static_assert(
      std::is_same_v<decltype(&rkt_internal_http_get_v2), rkt::trust::detail::HttpGetEntry>);
  try {
    rkt::http::HttpClient client(clientOptions(*options, *auth));
    rkt::http::Page page = rkt::http::getPage(client, *url, options->maxBody);
    result->status = page.status;
    result->body = std::move(page.body);
    return 0;
  } catch (const std::exception& e) {
    *error = rkt::http::describePocoError(e);
    return 1;
  }
}
