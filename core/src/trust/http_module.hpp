// The entry of the internal module rkt-http.so (core/modules/http): support/http's client
// (Poco Net/NetSSL, libssl) for trust::httpGet. Shared by the module and its caller
// (trust/http_get.cpp); both are built together, so C++ types cross.
#ifndef RKT_CORE_SRC_TRUST_HTTP_MODULE_HPP
#define RKT_CORE_SRC_TRUST_HTTP_MODULE_HPP

#include <string>
#include <vector>

#include "rkt/core/trust/http_get.hpp"
#include "rkt/support/http/auth.hpp"

namespace rkt::trust::detail {

inline constexpr char kHttpModule[] = "rkt-http.so";
inline constexpr char kHttpModuleEntry[] = "rkt_internal_http_get_v2";

/// httpGet of `url` with `auth` (the configured auth.d entries): 0 and `result`, or non-zero
/// and the one-line cause in `error`.
using HttpGetEntry = int (*)(const std::string* url, const HttpGetOptions* options,
                             const std::vector<http::AuthEntry>* auth, HttpGetResult* result,
                             std::string* error);

}  // namespace rkt::trust::detail

#endif  // RKT_CORE_SRC_TRUST_HTTP_MODULE_HPP
