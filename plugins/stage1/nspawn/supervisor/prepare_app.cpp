#include "prepare_app.hpp"

#include <sys/mount.h>
#include <sys/stat.h>

#include <vector>

#include "protected_paths.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/mounts.hpp"
#include "rkt/support/appexec/root_dir.hpp"
#include "rkt/support/appexec/sys.hpp"

namespace rkt::nspawn {

namespace {

using appexec::Mount;
namespace layout = protocol::layout;

// The device nodes an app gets from the pod's /dev (rkt's prepare-app list).
constexpr const char* kDeviceNodes[] = {"/dev/null",    "/dev/zero",    "/dev/full",
                                        "/dev/random",  "/dev/urandom", "/dev/tty",
                                        "/dev/console", "/dev/net/tun"};

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Mount bind(const std::string& source, const std::string& target, bool recursive = false) {
  Mount m;
  m.source = source;
  m.target = target;
  m.recursive = recursive;
  return m;
}

Mount tmpfs(const std::string& target) {
  Mount m;
  m.type = Mount::Type::Tmpfs;
  m.source = "tmpfs";
  m.target = target;
  return m;
}

}  // namespace

std::string appRootfsInPod(const std::string& app) {
  return "/" + layout::stage2AppRootfs(app);
}

void prepareApp(const PodPlan& pod, const AppPlan& app) {
  const std::string rootfs = appRootfsInPod(app.name);
  // A copied rootfs is a plain directory; the app's chroot and `enter` want a mount point.
  if (::mount(rootfs.c_str(), rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    posix::throwSys("cannot make `" + rootfs + "` a mount point");
  }
  appexec::RootDir root(rootfs);
  appexec::ensureMtab(root);

  std::vector<Mount> mounts;
  for (const char* node : kDeviceNodes) {
    if (exists(node)) {
      mounts.push_back(bind(node, node));
    }
  }
  mounts.push_back(bind("/dev/pts", "/dev/pts"));
  mounts.push_back(bind("/dev/shm", "/dev/shm"));
  mounts.push_back(bind("/proc", "/proc", true));
  if (!app.ownSys) {
    mounts.push_back(bind("/sys", "/sys", true));
  }
  mounts.push_back(tmpfs("/tmp"));
  mounts.push_back(tmpfs("/run"));

  const std::string resolv = std::string("/") + layout::kStage0ResolvConf;
  // host: the host's copy; stage0: --dns; default: a network's DNS when one gave any (the core
  // wrote it, rkt-notes §5.6); none: never.
  if (pod.resolvMode != "none" && exists(resolv)) {
    mounts.push_back(bind(resolv, "/etc/resolv.conf"));
  }
  const std::string hosts = std::string("/") + layout::kStage0Hosts;
  const std::string fallback = std::string("/") + layout::kHostsFallback;
  if ((pod.hostsMode == "host" || pod.hostsMode == "stage0") && exists(hosts)) {
    mounts.push_back(bind(hosts, "/etc/hosts"));
  } else if (pod.hostsMode == "default" && exists(fallback) && !root.stat("/etc/hosts")) {
    mounts.push_back(bind(fallback, "/etc/hosts"));
  }
  mounts.push_back(bind("/etc/hostname", "/etc/hostname"));
  mounts.push_back(bind("/etc/machine-id", "/etc/machine-id"));
  appexec::applyMounts(root, mounts);

  if (!root.lstat("/dev/ptmx")) {
    root.symlink(root.resolve("/dev/ptmx"), "pts/ptmx");
  }
  if (pod.protectPaths) {
    appexec::applyMounts(root, protectedPathMounts(root));
  }
  // Last: nothing more is created in the rootfs.
  if (app.readOnlyRootfs) {
    appexec::applyMounts(root, {readOnlyRootfsMount()});
  }
}

}  // namespace rkt::nspawn
