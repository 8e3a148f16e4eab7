#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <optional>

#include "pod/mounts.hpp"
#include "pod/sys.hpp"
#include "rkt/core/pod/gc.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::pod {
namespace {

// Each round unmounts everything visible; a further round only happens when unmounting
// uncovered or propagated new mounts. Far more rounds than any real pod needs.
constexpr int kMaxRounds = 8;
// Mount points longer than this are shown as the pod directory, `…` and their last part: an
// app may mount something 20,000 levels down, and an error stays one readable line.
constexpr size_t kMaxShownPath = 200;

std::optional<std::string> realPath(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (real == nullptr)
    return std::nullopt;
  std::string out(real);
  std::free(real);
  return out;
}

std::string shown(const std::string& path, const std::string& root) {
  if (path.size() <= kMaxShownPath)
    return "`" + path + "`";
  const size_t slash = path.find('/', path.size() - kMaxShownPath / 2);
  return "`" + root + "/…" + path.substr(slash == std::string::npos ? path.size() : slash) + "`";
}

// Opens the absolute `path` one component at a time without following any symlink (O_PATH |
// O_NOFOLLOW). A mount point whose path a symlink swapped in by an app would redirect (outside
// the pod, say) fails with ELOOP, and a path longer than PATH_MAX still opens. When something
// is mounted at `path`, the result is the root of the top mount there.
Result<posix::UniqueFd> openWithoutSymlinks(const std::string& path) {
  posix::UniqueFd cur(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cur.valid())
    return sysError("cannot open `/`");
  size_t pos = 0;
  while (pos < path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos)
      end = path.size();
    const std::string name = path.substr(pos, end - pos);
    pos = end + 1;
    if (name.empty())
      continue;
    if (name == "." || name == "..")
      return Error{"not a canonical path", EINVAL};
    posix::UniqueFd next(::openat(cur.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!next.valid() || ::fstat(next.get(), &st) != 0)
      return sysError("cannot open `" + name + "`");
    if (S_ISLNK(st.st_mode))
      return Error{"`" + name + "` is a symlink", ELOOP};
    cur = std::move(next);
  }
  return cur;
}

}  // namespace

Status unmountAllUnder(const std::string& dir) {
  std::optional<std::string> root = realPath(dir);
  if (!root) {
    if (errno == ENOENT)
      return {};
    return sysError("cannot resolve `" + dir + "`");
  }
  std::optional<Error> failure;
  for (int round = 0; round < kMaxRounds; ++round) {
    Result<std::vector<mounts::MountInfo>> table = mounts::readMountInfo();
    if (!table)
      return table.error();
    std::vector<mounts::MountInfo> below = mounts::mountsBelow(*table, *root);
    if (below.empty())
      return {};

    // Each mount point is opened without following symlinks, and made private and unmounted
    // through that descriptor (/proc/self/fd/N): what is acted on is the mount the table
    // names, whatever an app did to the paths, at any depth.
    std::vector<std::pair<std::string, posix::UniqueFd>> targets;
    for (const mounts::MountInfo& m : below) {
      Result<posix::UniqueFd> fd = openWithoutSymlinks(m.mountPoint);
      if (fd) {
        targets.emplace_back(m.mountPoint, std::move(*fd));
      } else if (fd.error().sysErrno != ENOENT) {
        failure = fd.error().wrap("refusing to unmount " + shown(m.mountPoint, *root));
      }
    }
    if (targets.empty())
      break;

    // Private first, every one of them, before any unmount: an unmount propagates to the peers
    // of the parent mount, which for binds of shared host mounts (fly's /dev, /proc, /sys) are
    // the host's own mounts.
    for (const auto& [target, fd] : targets) {
      const std::string proc = "/proc/self/fd/" + std::to_string(fd.get());
      if (::mount(nullptr, proc.c_str(), nullptr, MS_PRIVATE, nullptr) != 0 && errno != EINVAL &&
          errno != ENOENT) {
        failure = sysError("cannot make " + shown(target, *root) + " private");
      }
    }
    // Detached (MNT_DETACH, as rkt's MountGC): our own descriptor keeps the mount busy, and a
    // process still using it must not keep the pod from being deleted.
    for (auto& [target, fd] : targets) {
      const std::string proc = "/proc/self/fd/" + std::to_string(fd.get());
      const int rc = ::umount2(proc.c_str(), MNT_DETACH);
      const int err = errno;
      fd = posix::UniqueFd();
      // EINVAL: not a mount point any more (gone with its parent, or unmounted by someone else).
      if (rc != 0 && err != EINVAL && err != ENOENT)
        failure = sysError("cannot unmount " + shown(target, *root), err);
    }
  }
  Result<std::vector<mounts::MountInfo>> table = mounts::readMountInfo();
  if (!table)
    return table.error();
  std::vector<mounts::MountInfo> left = mounts::mountsBelow(*table, *root);
  if (left.empty())
    return {};
  std::string msg = "cannot unmount everything below `" + *root +
                    "`: " + shown(left.front().mountPoint, *root) + " is still mounted";
  if (failure)
    msg += " (" + failure->message + ")";
  return Error{msg, failure ? failure->sysErrno : EBUSY};
}

}  // namespace rkt::pod
