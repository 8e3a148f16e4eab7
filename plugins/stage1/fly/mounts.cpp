#include "mounts.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>

#include "mount_table.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "volumes.hpp"

namespace rkt::fly {

namespace {

// rkt fly's /etc/hosts for images without one (hosts mode `default`).
constexpr char kDefaultHosts[] = "127.0.0.1 localhost localdomain\n";

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
                        const std::string& stage0File, std::vector<FlyMount>& mounts) {
  FlyMount m;
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

void debug(const std::string& message) {
  sdk::log(RKT_LOG_DEBUG, message);
}

}  // namespace

std::vector<FlyMount> planMounts(const FlyPod& pod, const protocol::stage1::RunRequest& request,
                                 const RootDir& root) {
  std::vector<FlyMount> mounts;
  for (const char* dir : {"/dev", "/proc", "/sys"}) {
    FlyMount m;
    m.source = dir;
    m.target = dir;
    m.recursive = true;
    m.shareSource = true;
    mounts.push_back(m);
  }
  FlyMount tmp;
  tmp.type = FlyMount::Type::Tmpfs;
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
    FlyMount m;
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

void applyMounts(const RootDir& root, const std::vector<FlyMount>& mounts) {
  for (const FlyMount& m : mounts) {
    const bool bind = m.type == FlyMount::Type::Bind;
    if (m.shareSource) {
      debug("making `" + m.source + "` recursively shared");
      if (::mount(nullptr, m.source.c_str(), nullptr, MS_REC | MS_SHARED, nullptr) != 0) {
        throwSys("cannot make `" + m.source + "` shared");
      }
    }
    bool sourceIsDir = true;
    if (bind) {
      struct stat st {};
      if (::stat(m.source.c_str(), &st) != 0) {
        throwSys("cannot stat host path `" + m.source + "`");
      }
      sourceIsDir = S_ISDIR(st.st_mode);
    }

    const std::string target = root.resolve(m.target);
    const std::string shown = root.describe(m.target);
    if (std::optional<struct stat> st = root.stat(target)) {
      const bool targetIsDir = S_ISDIR(st->st_mode);
      if (sourceIsDir && !targetIsDir) {
        fail(RKT_E_INVALID, "cannot mount `" + m.source + "` on " + shown + ": `" + m.source +
                                "` is a directory and the target is not");
      }
      if (!sourceIsDir && targetIsDir) {
        fail(RKT_E_INVALID, "cannot mount `" + m.source + "` on " + shown +
                                ": the target is a "
                                "directory and `" +
                                m.source + "` is not");
      }
    } else if (sourceIsDir) {
      root.mkdirAll(target, 0755);
    } else {
      root.createFile(target, 0644);
    }

    UniqueFd at = root.openOrThrow(target, O_PATH);
    if (bind) {
      debug("binding `" + m.source + "` on " + shown + (m.recursive ? " (recursive)" : "") +
            (m.readOnly ? " read-only" : ""));
      unsigned long flags = MS_BIND | (m.recursive ? MS_REC : 0);
      if (::mount(m.source.c_str(), at.procPath().c_str(), nullptr, flags, nullptr) != 0) {
        throwSys("cannot bind `" + m.source + "` on " + shown);
      }
    } else {
      debug("mounting tmpfs on " + shown);
      if (::mount("tmpfs", at.procPath().c_str(), "tmpfs", 0, nullptr) != 0) {
        throwSys("cannot mount tmpfs on " + shown);
      }
    }
    if (m.readOnly) {
      // The descriptor above names the directory under the new mount; this one the mount.
      UniqueFd mounted = root.openOrThrow(target, O_PATH);
      makeReadOnly(mounted.get(), root.path() + target, m.recursive);
    }
  }
}

void ensureMtab(const RootDir& root) {
  std::optional<struct stat> etc = root.stat("/etc");
  if (!etc || !S_ISDIR(etc->st_mode)) {
    return;
  }
  const std::string etcPath = root.resolve("/etc");
  if (root.lstat(etcPath + "/mtab")) {
    return;
  }
  root.symlink(etcPath + "/mtab", "../proc/self/mounts");
}

}  // namespace rkt::fly
