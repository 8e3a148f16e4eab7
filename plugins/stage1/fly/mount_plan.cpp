#include "mount_plan.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/mount_table.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/appexec/volumes.hpp"

namespace rkt::fly {

using appexec::cleanAbsolute;
using appexec::generateVolumeMounts;
using appexec::isMountPoint;
using appexec::Mount;
using appexec::prepareEmptyVolume;
using appexec::RootDir;
using appexec::VolumeMount;
using posix::throwSys;

namespace {

// rkt fly's /etc/hosts for images without one (hosts mode `default`).
constexpr char kDefaultHosts[] = "127.0.0.1 localhost localdomain\n";

// Where the host mounts its cgroup trees (cgroup v1 below a tmpfs, or the v2 tree itself).
constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

size_t depth(const std::string& path) {
  std::string clean = cleanAbsolute(path);
  return clean == "/" ? 0 : static_cast<size_t>(std::count(clean.begin(), clean.end(), '/'));
}

void requireFile(const std::string& path, const std::string& why) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throwSys("cannot use `" + path + "` " + why);
  }
}

// rkt's --dns=host / --hosts-entry=host and the stage0-written files: mode `host` binds the
// host's `path` read-only, `stage0` the file stage0 wrote into stage1 (`stage0File`, which must
// exist). Returns whether a mount was added (false for any other mode).
bool addConfigFileMount(const std::string& mode, const std::string& what, const std::string& path,
                        const std::string& stage0File, std::vector<Mount>& mounts) {
  Mount m;
  m.target = path;
  if (mode == "host") {
    m.source = path;
    m.readOnly = true;
  } else if (mode == "stage0") {
    m.source = stage0File;
    requireFile(m.source, "for " + what + " mode `stage0`");
  } else {
    return false;
  }
  mounts.push_back(m);
  return true;
}

}  // namespace

std::vector<Mount> planMounts(const FlyPod& pod, const protocol::stage1::RunRequest& request,
                              const RootDir& root) {
  std::vector<Mount> mounts;
  for (const char* dir : {"/dev", "/proc", "/sys"}) {
    Mount m;
    m.source = dir;
    m.target = dir;
    m.recursive = true;
    m.shareSource = true;
    mounts.push_back(m);
  }
  // The host's cgroup trees are read-only in every pod: fly's app has no cgroup of its own, and
  // a mkdir or write there would change the host's (rkt's fly left them writable).
  if (isMountPoint(kCgroupRoot)) {
    Mount cgroups;
    cgroups.type = Mount::Type::ReadOnly;
    cgroups.target = kCgroupRoot;
    cgroups.recursive = true;
    mounts.push_back(cgroups);
  }
  Mount tmp;
  tmp.type = Mount::Type::Tmpfs;
  tmp.source = "tmpfs";
  tmp.target = "/tmp";
  mounts.push_back(tmp);

  std::vector<std::string> warnings;
  std::vector<VolumeMount> volumes = generateVolumeMounts(
      pod.runtimeApp, pod.app, pod.manifest.volumes, pod.convertedFromDocker(), warnings);
  for (const std::string& w : warnings) {
    sdk::log(RKT_LOG_WARNING, w);
  }
  // Shallower targets first, so a volume at /a does not hide one at /a/b; otherwise rkt's order.
  std::stable_sort(volumes.begin(), volumes.end(), [](const VolumeMount& a, const VolumeMount& b) {
    return depth(a.path) < depth(b.path);
  });
  for (const VolumeMount& vm : volumes) {
    Mount m;
    m.target = vm.path;
    m.readOnly = vm.readOnly;
    if (vm.volume.kind == schema::kVolumeKindHost) {
      m.source = vm.volume.source;
      // Fly binds user volumes non-recursively unless asked (a volume of `/` must not drag
      // every host mount along).
      m.recursive = vm.volume.recursive.value_or(false);
      m.shareSource = isMountPoint(m.source);
    } else {
      m.source = prepareEmptyVolume(pod.podDir, vm.volume, &root,
                                    vm.dockerImplicit ? vm.path : std::string());
    }
    mounts.push_back(m);
  }

  const std::string s1 = pod.stage1Rootfs();
  addConfigFileMount(request.dnsConfMode.resolv, "resolv", "/etc/resolv.conf",
                     s1 + "/" + protocol::layout::kStage0ResolvConf, mounts);
  if (!addConfigFileMount(request.dnsConfMode.hosts, "hosts", "/etc/hosts",
                          s1 + "/" + protocol::layout::kStage0Hosts, mounts) &&
      !root.stat("/etc/hosts")) {
    root.writeNewFile("/etc/hosts", kDefaultHosts, 0644);
  }
  return mounts;
}

}  // namespace rkt::fly
