// Docker image references as rkt reads them (docker2aci's ParseDockerURL, rkt notes §4.8):
// `docker://[REGISTRY[:PORT]/]REPO[:TAG|@DIGEST]` or `docker:…`, with the default registry
// `registry-1.docker.io`, the `library/` namespace for its one-component names, and tag `latest`.
#ifndef RKT_PLUGINS_DOCKER_DOCKER_REFERENCE_HPP
#define RKT_PLUGINS_DOCKER_DOCKER_REFERENCE_HPP

#include <string>

namespace rkt::dockerfetcher {

inline constexpr const char* kDefaultRegistry = "registry-1.docker.io";

struct DockerReference {
  std::string registry;    ///< host[:port]
  std::string repository;  ///< e.g. library/busybox
  std::string tag;         ///< "latest" when the reference names neither a tag nor a digest
  std::string digest;      ///< "sha256:<64 hex>" when the reference pins one

  /// What the registry's manifest endpoint is asked for: the digest when pinned, else the tag.
  std::string manifestReference() const { return digest.empty() ? tag : digest; }
  /// registry/repository:tag or registry/repository@digest.
  std::string toString() const;
};

/// Parses `image` (with its `docker://` or `docker:` prefix, or without). Throws
/// rkt::sdk::Error(RKT_E_INVALID) "invalid docker image reference `x`: <why>".
DockerReference parseDockerReference(const std::string& image);

/// Whether two registry names are the same registry (Docker Hub has three names).
bool sameRegistry(const std::string& a, const std::string& b);

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_DOCKER_REFERENCE_HPP
