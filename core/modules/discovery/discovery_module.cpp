// rkt-discovery.so: support/discovery (appc meta discovery; libxml2's HTML parser) for the
// core's key discovery (trust/pubkey.cpp), an internal module loaded on first use so that only
// `rkt trust` with a prefix and no key maps libxml2 and ICU. The pages are fetched by the
// caller's PageFetcher (rkt-http.so). Same build as the core: C++ types cross this boundary.
#include "trust/discovery_module.hpp"

namespace {

rkt::Result<std::vector<std::string>> discoverPubkeys(
    const std::string& prefix, const rkt::discovery::PageFetcher& fetch,
    const rkt::discovery::Options& options, std::vector<rkt::discovery::FailedAttempt>* attempts) {
  auto app = rkt::discovery::parseApp(prefix);
  if (!app)
    return app.error();
  return rkt::discovery::discoverPublicKeys(*app, fetch, options, attempts);
}

// Checked here, where both sides are visible: the loader casts the symbol to this type.
constexpr rkt::trust::detail::DiscoverPubkeysEntry kEntry = discoverPubkeys;

}  // namespace

extern "C" __attribute__((visibility("default"))) rkt::Result<std::vector<std::string>>
rkt_internal_discover_pubkeys_v1(const std::string& prefix,
                                 const rkt::discovery::PageFetcher& fetch,
                                 const rkt::discovery::Options& options,
                                 std::vector<rkt::discovery::FailedAttempt>* attempts) {
  return kEntry(prefix, fetch, options, attempts);
}
