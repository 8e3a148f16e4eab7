// trust::httpGet through the internal module rkt-http.so (core/modules/http), loaded on first
// use: the HTTP(S) stack (support/http: Poco Net/NetSSL, libssl) is mapped only by the commands
// that fetch keys or discovery pages, not by every rkt start (docs/run.md, start latency).
#include "rkt/core/trust/http_get.hpp"

#include <string>
#include <vector>

#include "rkt/support/http/auth.hpp"
#include "trust/http_module.hpp"
#include "util/internal_module.hpp"

namespace rkt::trust {
Result<HttpGetResult> httpGet(const std::string& url, const HttpGetOptions& options) {
  Result<void*> address = util::internalModuleEntry(detail::kHttpModule, detail::kHttpModuleEntry);
  if (!address)
    return address.error();
  const auto entry = reinterpret_cast<detail::HttpGetEntry>(*address);
  const std::vector<http::AuthEntry> auth = options.config != nullptr
                                                ? config::authEntries(*options.config)
                                                : std::vector<http::AuthEntry>();
  HttpGetResult result;
  std::string error;
  if (entry(&url, &options, &auth, &result, &error) != 0)
    return Error{error};
  return result;
}

}  // namespace rkt::trust
