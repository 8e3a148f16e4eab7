#include "nspawn_pod.hpp"

#include <fcntl.h>

#include "rkt/base/quote.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::nspawn {

namespace {

using appexec::fail;

std::string readWholeFile(const std::string& path) {
  return posix::valueOrThrow(posix::readFileAt(AT_FDCWD, path, /*followSymlink=*/true));
}

}  // namespace

std::string PodApp::imageName() const {
  return runtimeApp.image.name.empty() ? image.name : runtimeApp.image.name;
}

bool PodApp::convertedFromDocker() const {
  return image.annotation("appc.io/docker/repository").has_value();
}

bool PodApp::supportsNotify() const {
  const std::optional<std::string> v = image.annotation("appc.io/executor/supports-systemd-notify");
  return v && *v == "true";
}

std::string NspawnPod::stage1Rootfs() const {
  return podDir + "/" + protocol::layout::kStage1Rootfs;
}

std::string NspawnPod::appRootfs(const std::string& app) const {
  return podDir + "/" + protocol::layout::podStage2AppRootfs(app);
}

const PodApp& NspawnPod::app(const std::string& name) const {
  if (name.empty()) {
    if (apps.size() != 1) {
      fail(RKT_E_INVALID, "the pod has " + std::to_string(apps.size()) +
                              " apps: name one with --app (" + [this] {
                                std::string names;
                                for (const PodApp& a : apps) {
                                  names += (names.empty() ? "" : ", ") + a.name();
                                }
                                return names;
                              }() + ")");
    }
    return apps.front();
  }
  for (const PodApp& a : apps) {
    if (a.name() == name) {
      return a;
    }
  }
  fail(RKT_E_NOT_FOUND, "app `" + name + "` is not in the pod");
}

NspawnPod loadNspawnPod(const std::string& podDir) {
  NspawnPod pod;
  pod.podDir = podDir;
  const std::string manifestPath = podDir + "/" + protocol::layout::kPodManifest;
  Result<schema::PodManifest> manifest = schema::parsePodManifest(readWholeFile(manifestPath));
  if (!manifest) {
    fail(RKT_E_INVALID,
         "cannot load pod manifest `" + manifestPath + "`: " + manifest.error().message);
  }
  if (Status reified = schema::checkPodReified(*manifest); !reified) {
    fail(RKT_E_INVALID,
         "cannot load pod manifest `" + manifestPath + "`: " + reified.error().message);
  }
  pod.manifest = std::move(*manifest);
  if (pod.manifest.apps.empty()) {
    fail(RKT_E_INVALID, "pod manifest `" + manifestPath + "` has no apps");
  }
  for (const schema::RuntimeApp& ra : pod.manifest.apps) {
    PodApp app;
    app.runtimeApp = ra;
    const std::string imagePath = podDir + "/" + protocol::layout::appImageManifest(ra.name);
    Result<schema::ImageManifest> image = schema::parseImageManifest(readWholeFile(imagePath));
    if (!image) {
      fail(RKT_E_INVALID,
           "cannot load image manifest `" + imagePath + "`: " + image.error().message);
    }
    app.image = std::move(*image);
    if (ra.app) {
      app.app = *ra.app;
    } else if (app.image.app) {
      app.app = *app.image.app;
    }
    if (app.app.exec.empty()) {
      fail(RKT_E_INVALID,
           "image " + goQuote(app.imageName()) + " has an empty \"exec\" (try --exec=BINARY)");
    }
    pod.apps.push_back(std::move(app));
  }
  return pod;
}

}  // namespace rkt::nspawn
