#include "nspawn_pod.hpp"

#include <fcntl.h>

#include "rkt/base/quote.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/pod_files.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::nspawn {

using appexec::fail;

std::string PodApp::imageName() const {
  return appexec::imageNameOf(runtimeApp, image);
}

bool PodApp::convertedFromDocker() const {
  return appexec::convertedFromDocker(image);
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
      fail(
          RKT_E_INVALID, "the pod has " + std::to_string(apps.size()) +
                             " apps: name one with --app (" +
                             [this] {
                               std::string names;
                               for (const PodApp& a : apps) {
                                 names += (names.empty() ? "" : ", ") + a.name();
                               }
                               return names;
                             }() +
                             ")");
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

void writePodFile(const std::string& podDir, const char* name, const std::string& data) {
  posix::UniqueFd dir(::open(podDir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    posix::throwSys("cannot open pod directory `" + podDir + "`");
  }
  appexec::writeFileAtomic(dir.get(), podDir, name, data, 0644);
}

NspawnPod loadNspawnPod(const std::string& podDir) {
  NspawnPod pod;
  pod.podDir = podDir;
  pod.manifest = appexec::readPodManifest(podDir);
  if (pod.manifest.apps.empty()) {
    fail(RKT_E_INVALID,
         "pod manifest `" + podDir + "/" + protocol::layout::kPodManifest + "` has no apps");
  }
  for (const schema::RuntimeApp& ra : pod.manifest.apps) {
    PodApp app;
    app.runtimeApp = ra;
    app.image = appexec::readAppImageManifest(podDir, ra.name);
    app.app = appexec::effectiveApp(ra, app.image);
    pod.apps.push_back(std::move(app));
  }
  return pod;
}

}  // namespace rkt::nspawn
