#include "fly_pod.hpp"

#include <fcntl.h>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/pod_files.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::fly {

using appexec::fail;

std::string FlyPod::imageName() const {
  return appexec::imageNameOf(runtimeApp, image);
}

bool FlyPod::convertedFromDocker() const {
  return appexec::convertedFromDocker(image);
}

std::string FlyPod::stage1Rootfs() const {
  return podDir + "/" + protocol::layout::kStage1Rootfs;
}

std::string FlyPod::appRootfs() const {
  return stage1Rootfs() + "/" + protocol::layout::stage2AppRootfs(runtimeApp.name);
}

FlyPod loadFlyPod(const std::string& podDir, const std::string& appName) {
  FlyPod pod;
  pod.podDir = podDir;
  pod.manifest = appexec::readPodManifest(podDir);
  if (appName.empty()) {
    if (pod.manifest.apps.size() != 1) {
      fail(RKT_E_UNSUPPORTED, "fly only supports 1 application per Pod for now");
    }
    pod.runtimeApp = pod.manifest.apps.front();
  } else {
    const schema::RuntimeApp* ra = pod.manifest.findApp(appName);
    if (ra == nullptr) {
      fail(RKT_E_NOT_FOUND, "app `" + appName + "` not found in pod manifest `" + podDir + "/" +
                                protocol::layout::kPodManifest + "`");
    }
    pod.runtimeApp = *ra;
  }
  pod.image = appexec::readAppImageManifest(podDir, pod.runtimeApp.name);
  pod.app = appexec::effectiveApp(pod.runtimeApp, pod.image);
  return pod;
}

}  // namespace rkt::fly
