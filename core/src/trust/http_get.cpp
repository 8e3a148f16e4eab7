// trust::httpGet through the internal module rkt-http.so (core/modules/http), loaded on first
// use: the HTTP(S) stack (Poco Net/NetSSL, libssl) is mapped only by the commands that fetch
// keys or discovery pages, not by every rkt start (docs/run.md, start latency).
#include "rkt/core/trust/http_get.hpp"

#include <string>

#include "util/internal_module.hpp"

namespace rkt::trust {
namespace {

using HttpGetEntry = int (*)(const std::string*, const HttpGetOptions*, const config::HttpHeaders*,
                             HttpGetResult*, std::string*);

}  // namespace

Result<HttpGetResult> httpGet(const std::string& url, const HttpGetOptions& options) {
  Result<void*> address = util::internalModuleEntry("rkt-http.so", "rkt_internal_http_get_v1");
  if (!address)
    return address.error();
  const auto entry = reinterpret_cast<HttpGetEntry>(*address);
  config::HttpHeaders auth;
  if (options.config != nullptr)
    auth = config::authHeadersForUrl(*options.config, url);
  HttpGetResult result;
  std::string error;
  if (entry(&url, &options, &auth, &result, &error) != 0)
    return Error{error};
  return result;
}

}  // namespace rkt::trust
