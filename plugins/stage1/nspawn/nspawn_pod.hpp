// What the nspawn flavor reads from a prepared pod directory: the pod manifest `$POD/pod`,
// every app's image manifest `$POD/appsinfo/<app>/manifest`, and each app's effective `app`
// section (the pod manifest's, else the image's).
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_POD_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_POD_HPP

#include <string>
#include <vector>

#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/pod_manifest.hpp"

namespace rkt::nspawn {

struct PodApp {
  schema::RuntimeApp runtimeApp;
  schema::ImageManifest image;
  schema::App app;

  const std::string& name() const { return runtimeApp.name; }
  /// The image's name as rkt shows it in messages.
  std::string imageName() const;
  /// Converted from a Docker image (annotation appc.io/docker/repository).
  bool convertedFromDocker() const;
  /// The image (or the pod manifest's app) says the app sends READY=1 to NOTIFY_SOCKET.
  bool supportsNotify() const;
};

struct NspawnPod {
  std::string podDir;
  schema::PodManifest manifest;
  std::vector<PodApp> apps;

  /// $POD/stage1/rootfs
  std::string stage1Rootfs() const;
  /// $POD/stage1/rootfs/opt/stage2/<app>/rootfs
  std::string appRootfs(const std::string& app) const;
  /// The app called `name`; throws RKT_E_NOT_FOUND when the pod has none. Empty `name`: the
  /// only app, or RKT_E_INVALID when the pod has several.
  const PodApp& app(const std::string& name) const;
};

/// Writes `$POD/<name>` atomically (mode 0644).
void writePodFile(const std::string& podDir, const char* name, const std::string& data);

/// Loads and checks the pod (reified manifest, an image manifest and a non-empty exec per app).
NspawnPod loadNspawnPod(const std::string& podDir);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_POD_HPP
