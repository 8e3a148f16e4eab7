// The entry of the internal module rkt-discovery.so (core/modules/discovery): appc meta
// discovery of public keys (support/discovery, whose page parser is libxml2 with ICU). Shared by
// the module and its caller (trust/pubkey.cpp); both are built together. Only `rkt trust`
// without a key file maps libxml2, not every rkt start (docs/run.md, start latency).
#ifndef RKT_CORE_SRC_TRUST_DISCOVERY_MODULE_HPP
#define RKT_CORE_SRC_TRUST_DISCOVERY_MODULE_HPP

#include <string>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/discovery/discovery.hpp"

namespace rkt::trust::detail {

inline constexpr char kDiscoveryModule[] = "rkt-discovery.so";
inline constexpr char kDiscoveryModuleEntry[] = "rkt_internal_discover_pubkeys_v1";

/// discovery::parseApp(prefix), then discovery::discoverPublicKeys with `fetch`; the errors are
/// theirs, unwrapped.
using DiscoverPubkeysEntry = Result<std::vector<std::string>> (*)(
    const std::string& prefix, const discovery::PageFetcher& fetch,
    const discovery::Options& options, std::vector<discovery::FailedAttempt>* attempts);

}  // namespace rkt::trust::detail

#endif  // RKT_CORE_SRC_TRUST_DISCOVERY_MODULE_HPP
