#include "fly_pod.hpp"

#include <fcntl.h>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "sys.hpp"

namespace rkt::fly {

namespace {

std::string readWholeFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    throwSys("cannot open `" + path + "`");
  }
  return readAll(fd.get(), "`" + path + "`");
}

}  // namespace

std::string FlyPod::imageName() const {
  return runtimeApp.image.name.empty() ? image.name : runtimeApp.image.name;
}

bool FlyPod::convertedFromDocker() const {
  return image.annotation("appc.io/docker/repository").has_value();
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
  const std::string manifestPath = podDir + "/" + protocol::layout::kPodManifest;
  Result<schema::PodManifest> manifest = schema::parsePodManifest(readWholeFile(manifestPath));
  if (!manifest) {
    fail(RKT_E_INVALID,
         "cannot load pod manifest `" + manifestPath + "`: " + manifest.error().message);
  }
  Status reified = schema::checkPodReified(*manifest);
  if (!reified) {
    fail(RKT_E_INVALID,
         "cannot load pod manifest `" + manifestPath + "`: " + reified.error().message);
  }
  pod.manifest = std::move(*manifest);

  if (appName.empty()) {
    if (pod.manifest.apps.size() != 1) {
      fail(RKT_E_UNSUPPORTED, "fly only supports 1 application per Pod for now");
    }
    pod.runtimeApp = pod.manifest.apps.front();
  } else {
    const schema::RuntimeApp* ra = pod.manifest.findApp(appName);
    if (ra == nullptr) {
      fail(RKT_E_NOT_FOUND,
           "app `" + appName + "` not found in pod manifest `" + manifestPath + "`");
    }
    pod.runtimeApp = *ra;
  }

  const std::string imagePath =
      podDir + "/" + protocol::layout::appImageManifest(pod.runtimeApp.name);
  Result<schema::ImageManifest> image = schema::parseImageManifest(readWholeFile(imagePath));
  if (!image) {
    fail(RKT_E_INVALID, "cannot load image manifest `" + imagePath + "`: " + image.error().message);
  }
  pod.image = std::move(*image);

  if (pod.runtimeApp.app) {
    pod.app = *pod.runtimeApp.app;
  } else if (pod.image.app) {
    pod.app = *pod.image.app;
  }
  if (pod.app.exec.empty()) {
    fail(RKT_E_INVALID,
         "image " + quoted(pod.imageName()) + " has an empty \"exec\" (try --exec=BINARY)");
  }
  return pod;
}

}  // namespace rkt::fly
