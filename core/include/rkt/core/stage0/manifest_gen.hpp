// The pod manifest `rkt run` / `rkt prepare` write from their command line (rkt's
// generatePodManifest, rkt-notes §3.5): one RuntimeApp per image, in command-line order, with
// every per-app flag applied to a copy of the image's app.
#ifndef RKT_CORE_STAGE0_MANIFEST_GEN_HPP
#define RKT_CORE_STAGE0_MANIFEST_GEN_HPP

#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/core/stage0/app_list.hpp"
#include "rkt/core/stage0/environment.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/pod_manifest.hpp"

namespace rkt::stage0 {

/// The pod annotation rkt writes on every generated manifest.
inline constexpr std::string_view kMutableAnnotation = "coreos.com/rkt/stage1/mutable";
/// RuntimeApp annotations for the (experimental) --stdin/--stdout/--stderr modes.
inline constexpr std::string_view kStdinAnnotation = "coreos.com/rkt/stage2/stdin";
inline constexpr std::string_view kStdoutAnnotation = "coreos.com/rkt/stage2/stdout";
inline constexpr std::string_view kStderrAnnotation = "coreos.com/rkt/stage2/stderr";

/// An app's resolved image: its store key and manifest.
struct ResolvedImage {
  std::string id;
  schema::ImageManifest manifest;
};

struct ManifestOptions {
  std::string acVersion;  ///< rkt writes its own version
  /// The minimal app synthesized for --exec on an image without an app runs as the caller.
  unsigned callerUid = 0;
  unsigned callerGid = 0;
  std::vector<schema::ExposedPort> ports;  ///< --port
};

/// rkt's ImageNameToAppName: the last `/` component of the image name as an AC Name
/// ("quay.io/coreos/alpine-sh" -> "alpine-sh"; "registry-1.docker.io/library/redis" -> "redis").
Result<std::string> appNameFromImageName(std::string_view imageName);

/// `--port NAME:[HOSTIP:]HOSTPORT` (rkt's messages: `"x" is not in name:[ip:]port format`,
/// `"x" is not a valid port name`, `"x" is not a valid IP`, `"x" is not a valid port number`).
Result<schema::ExposedPort> parsePortFlag(const std::string& value);

/// `--seccomp` value -> the seccomp isolator it asks for: "mode=retain|remove", optional
/// "errno=ENAME", then syscalls / @groups. Errors as rkt: "invalid seccomp mode command-line
/// override", "invalid seccomp command-line override".
Result<schema::Isolator> seccompIsolatorFromFlag(const std::string& value);

/// The RuntimeApp for `spec` running `image` (name from --name or the image name).
/// `globalMounts` are the --mount flags given before the first image. Errors: "error: image X
/// has no app section and --exec argument is not provided", "error: cannot use both
/// --caps-retain and --caps-remove on the same image", invalid names.
Result<schema::RuntimeApp> generateRuntimeApp(const AppSpec& spec, const ResolvedImage& image,
                                              const std::vector<schema::Mount>& globalMounts,
                                              const PodEnvironment& env,
                                              const ManifestOptions& options);

/// The whole pod manifest. `images[i]` belongs to `apps.apps[i]`. Duplicate app names fail with
/// "error: multiple apps with name X"; --ports fail as net::forwardedPorts (unknown or ambiguous
/// names, conflicting host ports). The result is validated.
Result<schema::PodManifest> generatePodManifest(const AppList& apps,
                                                const std::vector<ResolvedImage>& images,
                                                const PodEnvironment& env,
                                                const ManifestOptions& options);

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_MANIFEST_GEN_HPP
