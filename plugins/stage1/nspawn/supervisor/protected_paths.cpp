#include "protected_paths.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "rkt/support/posix/throw_sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

using appexec::Mount;

// rkt v1.30's stage1/init/common/path.go, as systemd's ReadOnlyPaths=.
constexpr const char* kReadOnlyPaths[] = {"/proc/bus",
                                          "/proc/sys/kernel/core_pattern",
                                          "/proc/sys/kernel/modprobe",
                                          "/proc/sys/vm/panic_on_oom",
                                          "/proc/sysrq-trigger",
                                          "/sys/block",
                                          "/sys/bus",
                                          "/sys/class",
                                          "/sys/dev",
                                          "/sys/devices",
                                          "/sys/kernel"};

// rkt's InaccessiblePaths=: the directories, then the files.
constexpr const char* kInaccessiblePaths[] = {
    "/sys/firmware", "/sys/fs",         "/sys/hypervisor", "/sys/module",
    "/sys/power",    "/proc/config.gz", "/proc/kallsyms",  "/proc/sched_debug",
    "/proc/kcore",   "/proc/kmem",      "/proc/mem"};

// The empty, mode-0000 objects bound over inaccessible paths (in the pod's root, shared by the
// apps; systemd has /run/systemd/inaccessible/{dir,reg}).
constexpr char kInaccessibleDir[] = "/rkt/inaccessible-dir";
constexpr char kInaccessibleFile[] = "/rkt/inaccessible-file";

void ensureInaccessibleObjects() {
  if (::mkdir(kInaccessibleDir, 0) != 0 && errno != EEXIST) {
    posix::throwSys(std::string("cannot create `") + kInaccessibleDir + "`");
  }
  const int fd = ::open(kInaccessibleFile, O_CREAT | O_WRONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    posix::throwSys(std::string("cannot create `") + kInaccessibleFile + "`");
  }
  ::close(fd);
}

// The app's /proc and /sys are binds of the pod's, peers of them when nspawn made the pod's
// mounts shared: a cover mounted on the app's /sys/fs would appear on the pod's too and hide
// the cgroup trees from the supervisor (and from every other app). As slaves they still get
// what the pod mounts but keep their own covers (systemd gave each unit a mount namespace).
void detachFromPod(const appexec::RootDir& root, const char* path) {
  if (!root.stat(path)) {
    return;
  }
  posix::UniqueFd at = root.openOrThrow(root.resolve(path), O_PATH);
  if (::mount(nullptr, at.procPath().c_str(), nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
    posix::throwSys("cannot make the app's `" + std::string(path) + "` a slave mount");
  }
}

Mount readOnly(const std::string& target, bool recursive) {
  Mount m;
  m.type = Mount::Type::ReadOnly;
  m.target = target;
  m.recursive = recursive;
  return m;
}

}  // namespace

std::vector<Mount> protectedPathMounts(const appexec::RootDir& root) {
  ensureInaccessibleObjects();
  detachFromPod(root, "/proc");
  detachFromPod(root, "/sys");
  std::vector<Mount> mounts;
  for (const char* path : kReadOnlyPaths) {
    if (!root.stat(path)) {
      continue;
    }
    Mount self;
    self.source = root.path() + root.resolve(path);
    self.target = path;
    self.recursive = true;
    mounts.push_back(self);
    mounts.push_back(readOnly(path, true));
  }
  for (const char* path : kInaccessiblePaths) {
    std::optional<struct stat> st = root.stat(path);
    if (!st) {
      continue;
    }
    Mount cover;
    cover.source = S_ISDIR(st->st_mode) ? kInaccessibleDir : kInaccessibleFile;
    cover.target = path;
    cover.readOnly = true;
    mounts.push_back(cover);
  }
  return mounts;
}

Mount readOnlyRootfsMount() {
  return readOnly("/", false);
}

}  // namespace rkt::nspawn
