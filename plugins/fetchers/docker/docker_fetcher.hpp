// The `docker` fetcher: `docker://[REGISTRY/]REPO[:TAG|@DIGEST]` (and `docker:…`) from any
// registry speaking the distribution API v2, into an OCI image layout directory under the
// request's tmp_dir holding exactly the image of this host's platform (README.md).
//
// Request (rkt/abi/fetcher.h): `image` as typed; `insecure.http` talks plain http to the
// registry, `insecure.tls` skips certificate checks; `docker_auth` holds the registries'
// credentials; `remote` is the store's record of this reference (its `etag` is the manifest
// digest the stored image came from). Result: `path` = the layout directory, or `cached_key`
// when the registry still serves the recorded manifest; `remote.etag` = the manifest digest;
// `latest` when the tag is `latest`.
#ifndef RKT_PLUGINS_DOCKER_DOCKER_FETCHER_HPP
#define RKT_PLUGINS_DOCKER_DOCKER_FETCHER_HPP

#include <string>

#include "rkt/sdk/fetcher.hpp"

namespace rkt::dockerfetcher {

class DockerFetcher : public sdk::Fetcher {
 public:
  explicit DockerFetcher(const std::string& configJson);
  std::string fetch(const std::string& requestJson) override;
};

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_DOCKER_FETCHER_HPP
