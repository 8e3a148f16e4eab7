// docker2aci's conversion of an image config (OCI or docker v2 schema 2; rkt-notes §4.8) to
// the appc image manifest rkt stored for the image.
#ifndef RKT_SUPPORT_OCI_CONVERT_HPP
#define RKT_SUPPORT_OCI_CONVERT_HPP

#include <string>

#include "rkt/base/result.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/support/oci/layout.hpp"

namespace rkt::oci {

/// How the converted image is named; the fetcher that found the image decides.
struct ImageNaming {
  /// AC identifier of the image, e.g. "registry-1.docker.io/library/busybox" (docker) or
  /// the layout's reference as oci.md describes. Sanitized (sanitizeAcIdentifier) when needed.
  std::string name;
  /// `version` label: the tag (docker2aci); "latest" when empty.
  std::string version;
  std::string originalName;  ///< appc.io/docker/originalname: the reference as the user typed it
  std::string registryUrl;   ///< appc.io/docker/registryurl (omitted when empty)
  std::string repository;    ///< appc.io/docker/repository; the stage1s key rkt's docker
                             ///< semantics on it, so it is never empty ("" -> name)
};

/// The appc manifest of `image` (rkt-notes §4.8): labels version/os/arch (docker os/arch mapped
/// to appc names; unknown ones are an error, as in docker2aci), annotations authors, created,
/// docker-comment and appc.io/docker/{originalname,registryurl,repository,imageid,
/// manifesthash,entrypoint,cmd}; app: exec = Entrypoint ++ Cmd, user/group from User ("" ->
/// 0/0, "u" -> u/u, "u:g" -> u/g), environment from Env (entries without `=` dropped),
/// workingDirectory, userLabels from Labels, mountPoints from Volumes (names `volume-<path>`
/// sanitized, duplicates `-N`, sorted), ports from ExposedPorts (`80/tcp` -> `80-tcp`, sorted).
/// The result is validated (support/schema).
Result<schema::ImageManifest> convertImage(const ResolvedImage& image, const ImageNaming& naming);

}  // namespace rkt::oci

#endif  // RKT_SUPPORT_OCI_CONVERT_HPP
