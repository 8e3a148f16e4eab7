#include "volumes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "sys.hpp"

namespace rkt::fly {

namespace {

const schema::MountPoint* findMountPoint(const schema::App& app, const std::string& name) {
  for (const schema::MountPoint& mp : app.mountPoints) {
    if (mp.name == name) {
      return &mp;
    }
  }
  return nullptr;
}

mode_t parseMode(const schema::Volume& volume) {
  const std::string text = volume.mode.value_or("0755");
  char* end = nullptr;
  unsigned long mode = std::strtoul(text.c_str(), &end, 8);
  if (text.empty() || *end != '\0' || mode > 07777) {
    fail(RKT_E_INVALID, "invalid mode `" + text + "` of volume `" + volume.name + "`");
  }
  return static_cast<mode_t>(mode);
}

bool isEmptyDir(int dirFd) {
  int dup = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
  DIR* d = dup >= 0 ? ::fdopendir(dup) : nullptr;
  if (d == nullptr) {
    if (dup >= 0) {
      ::close(dup);
    }
    return false;
  }
  bool empty = true;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") {
      empty = false;
      break;
    }
  }
  ::closedir(d);
  return empty;
}

// Copies the directory `src` into `dst` (both open directories): files, directories and
// symlinks with their modes and owners; other file types are skipped. Never follows a symlink.
void copyTree(int src, int dst, const std::string& shown) {
  int dup = ::fcntl(src, F_DUPFD_CLOEXEC, 0);
  DIR* d = dup >= 0 ? ::fdopendir(dup) : nullptr;
  if (d == nullptr) {
    if (dup >= 0) {
      ::close(dup);
    }
    throwSys("cannot read `" + shown + "`");
  }
  std::unique_ptr<DIR, int (*)(DIR*)> guard(d, ::closedir);
  while (struct dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    const std::string path = shown + "/" + name;
    struct stat st {};
    if (::fstatat(src, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      throwSys("cannot stat `" + path + "`");
    }
    if (S_ISDIR(st.st_mode)) {
      if (::mkdirat(dst, name.c_str(), 0700) != 0 && errno != EEXIST) {
        throwSys("cannot copy `" + path + "`");
      }
      UniqueFd from(::openat(src, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      UniqueFd to(::openat(dst, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!from.valid() || !to.valid()) {
        throwSys("cannot copy `" + path + "`");
      }
      copyTree(from.get(), to.get(), path);
      if (::fchown(to.get(), st.st_uid, st.st_gid) != 0 ||
          ::fchmod(to.get(), st.st_mode & 07777) != 0) {
        throwSys("cannot copy `" + path + "`");
      }
    } else if (S_ISREG(st.st_mode)) {
      UniqueFd from(::openat(src, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      UniqueFd to(
          ::openat(dst, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
      if (!from.valid() || !to.valid() || !writeAll(to.get(), readAll(from.get(), path)) ||
          ::fchown(to.get(), st.st_uid, st.st_gid) != 0 ||
          ::fchmod(to.get(), st.st_mode & 07777) != 0) {
        throwSys("cannot copy `" + path + "`");
      }
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlinkat(src, name.c_str(), target.data(), target.size());
      if (n < 0) {
        throwSys("cannot copy `" + path + "`");
      }
      target.resize(static_cast<size_t>(n));
      if (::symlinkat(target.c_str(), dst, name.c_str()) != 0 ||
          ::fchownat(dst, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
        throwSys("cannot copy `" + path + "`");
      }
    }
  }
}

}  // namespace

std::vector<VolumeMount> generateVolumeMounts(const schema::RuntimeApp& runtimeApp,
                                              const schema::App& app,
                                              const std::vector<schema::Volume>& podVolumes,
                                              bool convertedFromDocker,
                                              std::vector<std::string>& warnings) {
  std::map<std::string, schema::Volume> volumes;
  for (const schema::Volume& v : podVolumes) {
    volumes.emplace(v.name, v);
  }
  std::vector<VolumeMount> out;
  std::map<std::string, bool> mountedPaths;  // cleaned target paths of explicit mounts

  for (const schema::Mount& m : runtimeApp.mounts) {
    VolumeMount vm;
    vm.path = m.path;
    if (m.appVolume) {
      vm.volume = *m.appVolume;
    } else {
      auto it = volumes.find(m.volume);
      if (it == volumes.end()) {
        fail(RKT_E_INVALID, "could not find volume `" + m.volume + "`");
      }
      vm.volume = it->second;
    }
    if (const schema::MountPoint* mp = findMountPoint(app, m.volume)) {
      vm.readOnly = mp->readOnly;
    }
    if (vm.volume.readOnly) {
      vm.readOnly = *vm.volume.readOnly;
    }
    if (vm.volume.kind != schema::kVolumeKindHost && vm.volume.kind != schema::kVolumeKindEmpty) {
      fail(RKT_E_INVALID,
           "volume `" + vm.volume.name + "` has invalid kind `" + vm.volume.kind + "`");
    }
    mountedPaths[cleanAbsolute(m.path)] = true;
    out.push_back(std::move(vm));
  }

  for (const schema::MountPoint& mp : app.mountPoints) {
    if (mountedPaths.count(cleanAbsolute(mp.path)) != 0) {
      continue;
    }
    VolumeMount vm;
    vm.path = mp.path;
    auto it = volumes.find(mp.name);
    if (it == volumes.end()) {
      schema::Volume implicit;
      implicit.name = runtimeApp.name + "-" + mp.name;
      implicit.kind = std::string(schema::kVolumeKindEmpty);
      implicit.mode = "0755";
      implicit.uid = 0;
      implicit.gid = 0;
      warnings.push_back("no volume specified for mount point " + quoted(mp.name) +
                         ", implicitly creating an \"empty\" volume. This volume will be removed "
                         "when the pod is garbage-collected.");
      if (convertedFromDocker) {
        warnings.push_back(
            "Docker converted image, initializing implicit volume with data contained at the "
            "mount point " +
            quoted(mp.name) + ".");
      }
      volumes.emplace(implicit.name, implicit);
      vm.volume = implicit;
      vm.readOnly = mp.readOnly;
      vm.dockerImplicit = convertedFromDocker;
    } else {
      vm.volume = it->second;
      vm.readOnly = vm.volume.readOnly.value_or(mp.readOnly);
    }
    out.push_back(std::move(vm));
  }
  return out;
}

std::string prepareEmptyVolume(const std::string& podDir, const schema::Volume& volume,
                               const RootDir* appRoot, const std::string& prefillFrom) {
  const std::string shared = podDir + "/" + protocol::layout::kSharedVolumes;
  if (::mkdir(shared.c_str(), 0755) != 0 && errno != EEXIST) {
    throwSys("cannot create `" + shared + "`");
  }
  const std::string dir = shared + "/" + volume.name;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    throwSys("cannot create `" + dir + "`");
  }
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    throwSys("cannot open `" + dir + "`");
  }
  mode_t mode = parseMode(volume);
  uid_t uid = static_cast<uid_t>(volume.uid.value_or(0));
  gid_t gid = static_cast<gid_t>(volume.gid.value_or(0));
  if (appRoot != nullptr && !prefillFrom.empty() && isEmptyDir(fd.get())) {
    UniqueFd from = appRoot->open(prefillFrom, O_RDONLY | O_DIRECTORY);
    struct stat st {};
    // Nothing at that path in the image: nothing to copy.
    if (from.valid() && ::fstat(from.get(), &st) == 0) {
      copyTree(from.get(), fd.get(), appRoot->path() + prefillFrom);
      // Like a Docker data volume, the directory itself looks like the image's.
      mode = st.st_mode & 07777;
      uid = st.st_uid;
      gid = st.st_gid;
    }
  }
  if (::fchown(fd.get(), uid, gid) != 0) {
    throwSys("cannot change the owner of `" + dir + "`");
  }
  if (::fchmod(fd.get(), mode) != 0) {
    throwSys("cannot change the mode of `" + dir + "`");
  }
  return dir;
}

}  // namespace rkt::fly
