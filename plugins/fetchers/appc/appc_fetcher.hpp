// The `appc` fetcher: an image name with labels is resolved by appc meta discovery
// (`https://<prefix>?ac-discovery=1`, longest prefix first), and the first endpoint's ACI and
// signature are downloaded as the aci-archive fetcher downloads URLs.
//
// Request (rkt/abi/fetcher.h): `image` is `name[:version][,label=value…]` — the core has
// already added the host's os/arch labels; `insecure.http` allows discovery over plain http,
// `insecure.tls` skips certificate checks; `auth` headers go to discovery pages and downloads
// of their host over https. Result: `path`, `signature_path` (when the server has one),
// `remote` (the ACI URL's download record) and `latest` (true when no version was asked for).
#ifndef RKT_PLUGINS_APPC_APPC_FETCHER_HPP
#define RKT_PLUGINS_APPC_APPC_FETCHER_HPP

#include <string>

#include "rkt/sdk/fetcher.hpp"

namespace rkt::appcfetcher {

class AppcFetcher : public sdk::Fetcher {
 public:
  explicit AppcFetcher(const std::string& configJson);
  std::string fetch(const std::string& requestJson) override;
};

}  // namespace rkt::appcfetcher

#endif  // RKT_PLUGINS_APPC_APPC_FETCHER_HPP
