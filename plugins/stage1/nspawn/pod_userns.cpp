#include "pod_userns.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "pod_cgroup.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/id_shift.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::nspawn {
namespace {

// `dir` and the files directly in it (a cgroup's knobs), owned by the pod's root.
void chownCgroup(const std::string& dir, uid_t shift) {
  if (::chown(dir.c_str(), shift, shift) != 0) {
    posix::throwSys("cannot hand the cgroup `" + dir + "` to the pod's user namespace");
  }
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    posix::throwSys("cannot list the cgroup `" + dir + "`");
  }
  while (const dirent* e = ::readdir(d)) {
    if (e->d_type == DT_REG && ::fchownat(dirfd(d), e->d_name, shift, shift, 0) != 0) {
      const int err = errno;
      ::closedir(d);
      errno = err;
      posix::throwSys("cannot hand `" + dir + "/" + e->d_name + "` to the pod's user namespace");
    }
  }
  ::closedir(d);
}

}  // namespace

uid_t privateUsersShift(const std::string& range) {
  char* end = nullptr;
  const unsigned long shift = std::strtoul(range.c_str(), &end, 10);
  if (end == range.c_str() || *end != ':' || shift == 0 || shift > 0xffffffffUL) {
    protocol::invalidField<protocol::stage1::RunRequest>("private_users",
                                                         "not `<shift>:<count>`: `" + range + "`");
  }
  return static_cast<uid_t>(shift);
}

void shiftPodTrees(const NspawnPod& pod, uid_t shift) {
  std::vector<std::string> trees{pod.stage1Rootfs(),
                                 pod.podDir + "/" + protocol::layout::kSharedVolumes};
  // The apps' roots (overlay mounts the stage1 walk does not enter): the image's files are in the
  // range already (idmapped lower, chowned or shifted copy) and left alone; what
  // prepareStage1 wrote as host root (/etc/mtab, mount targets) joins them.
  for (const PodApp& app : pod.apps) {
    trees.push_back(pod.appRootfs(app.name()));
  }
  for (const std::string& tree : trees) {
    struct stat st {};
    if (::lstat(tree.c_str(), &st) != 0 && errno == ENOENT) {
      continue;
    }
    if (Status s = posix::shiftOwnership(tree, shift); !s) {
      posix::throwError(s.error());
    }
  }
}

void shiftAppCgroups(const std::string& podDir, uid_t shift) {
  Result<std::string> list = posix::readFileAt(AT_FDCWD, podDir + "/" + kPodCgroupsFile);
  std::istringstream in(list ? *list : std::string());
  std::string podCgroup;
  while (std::getline(in, podCgroup)) {
    struct statfs fs {};
    const std::string slice = podCgroup + "/system.slice";
    if (::statfs(slice.c_str(), &fs) != 0 || fs.f_type != CGROUP_SUPER_MAGIC) {
      continue;  // not a v1 hierarchy of the resource isolators
    }
    DIR* d = ::opendir(slice.c_str());
    if (d == nullptr) {
      continue;
    }
    std::vector<std::string> apps;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (e->d_type == DT_DIR && name.size() > 8 &&
          name.compare(name.size() - 8, 8, ".service") == 0) {
        apps.push_back(slice + "/" + name);
      }
    }
    ::closedir(d);
    for (const std::string& app : apps) {
      chownCgroup(app, shift);
    }
  }
}

}  // namespace rkt::nspawn
