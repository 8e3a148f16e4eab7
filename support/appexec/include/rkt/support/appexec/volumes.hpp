// Which volume goes where in the app (rkt-notes §6.3, rkt's GenerateMounts), and the backing
// directories of `empty` volumes.
#ifndef RKT_SUPPORT_APPEXEC_VOLUMES_HPP
#define RKT_SUPPORT_APPEXEC_VOLUMES_HPP

#include <string>
#include <vector>

#include "rkt/schema/pod_manifest.hpp"
#include "rkt/support/appexec/root_dir.hpp"

namespace rkt::appexec {

/// One volume mounted into the app.
struct VolumeMount {
  std::string path;  ///< target inside the app, as written
  schema::Volume volume;
  bool readOnly = false;
  /// An implicit volume of a Docker-converted image: filled with the image's content at `path`.
  bool dockerImplicit = false;
};

/// The app's volume mounts, in rkt's order: the RuntimeApp's `mounts` (volume by name, or the
/// inline appVolume; read-only from the volume, else from the app mount point of the same
/// name), then each of the app's `mountPoints` without a mount at its path (the pod volume of
/// the same name, else an implicit `empty` volume `<app>-<mount point>`, mode 0755, uid/gid 0,
/// with rkt's warning). `warnings` receives the warning lines.
std::vector<VolumeMount> generateVolumeMounts(const schema::RuntimeApp& runtimeApp,
                                              const schema::App& app,
                                              const std::vector<schema::Volume>& podVolumes,
                                              bool convertedFromDocker,
                                              std::vector<std::string>& warnings);

/// Creates $POD/sharedVolumes (0755) and $POD/sharedVolumes/<name> with the volume's mode, uid
/// and gid; returns the backing directory. With `prefillFrom` (a Docker implicit volume) the
/// content of that path in `appRoot` is copied in (owners and modes kept) when the directory
/// was empty.
std::string prepareEmptyVolume(const std::string& podDir, const schema::Volume& volume,
                               const RootDir* appRoot, const std::string& prefillFrom);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_VOLUMES_HPP
