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
namespace {

// The configured auth.d entries in the form the client matches against URLs.
std::vector<http::AuthEntry> authEntries(const config::Config* config) {
  std::vector<http::AuthEntry> entries;
  if (config == nullptr)
    return entries;
  for (const auto& [host, credentials] : config->authPerHost)
    entries.push_back(
        {{host}, config::authTypeName(credentials), config::credentialFields(credentials)});
  return entries;
}

}  // namespace

Result<HttpGetResult> httpGet(const std::string& url, const HttpGetOptions& options) {
  Result<void*> address = util::internalModuleEntry(detail::kHttpModule, detail::kHttpModuleEntry);
  if (!address)
    return address.error();
  const auto entry = reinterpret_cast<detail::HttpGetEntry>(*address);
  const std::vector<http::AuthEntry> auth = authEntries(options.config);
  HttpGetResult result;
  std::string error;
  if (entry(&url, &options, &auth, &result, &error) != 0)
    return Error{error};
  return result;
}

}  // namespace rkt::trust
