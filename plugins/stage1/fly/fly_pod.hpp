// What the fly flavor reads from a prepared pod directory: the pod manifest `$POD/pod`, its one
// app, that app's image manifest `$POD/appsinfo/<app>/manifest`, and the paths derived from them.
#ifndef RKT_PLUGINS_STAGE1_FLY_FLY_POD_HPP
#define RKT_PLUGINS_STAGE1_FLY_FLY_POD_HPP

#include <string>

#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/pod_manifest.hpp"

namespace rkt::fly {

struct FlyPod {
  std::string podDir;
  schema::PodManifest manifest;
  schema::RuntimeApp runtimeApp;
  schema::ImageManifest image;
  /// The pod manifest's app section, or the image's when the pod manifest has none.
  schema::App app;

  const std::string& appName() const { return runtimeApp.name; }
  /// The image's name as rkt shows it in messages (pod manifest's, else the image's own).
  std::string imageName() const;
  /// Converted from a Docker image (annotation appc.io/docker/repository).
  bool convertedFromDocker() const;

  /// $POD/stage1/rootfs
  std::string stage1Rootfs() const;
  /// $POD/stage1/rootfs/opt/stage2/<app>/rootfs
  std::string appRootfs() const;
};

/// Loads the pod. `appName` empty: the pod must have exactly one app (`fly only supports 1
/// application per Pod for now` otherwise); else the app of that name. Throws naming the file
/// that is missing or invalid.
FlyPod loadFlyPod(const std::string& podDir, const std::string& appName = "");

}  // namespace rkt::fly

#endif  // RKT_PLUGINS_STAGE1_FLY_FLY_POD_HPP
