#include <sys/mount.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <optional>

#include "pod/mounts.hpp"
#include "rkt/core/pod/gc.hpp"

namespace rkt::pod {
namespace {

// Each round unmounts everything visible; a further round only happens when unmounting
// uncovered or propagated new mounts. Far more rounds than any real pod needs.
constexpr int kMaxRounds = 8;

std::optional<std::string> realPath(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (real == nullptr)
    return std::nullopt;
  std::string out(real);
  std::free(real);
  return out;
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

    // A mount point that no longer resolves to itself (a path component was swapped for a
    // symlink, e.g. by an app inside the pod) could lead umount(2) outside the pod: refuse it.
    std::vector<std::string> targets;
    for (const mounts::MountInfo& m : below) {
      std::optional<std::string> resolved = realPath(m.mountPoint);
      if (resolved && *resolved == m.mountPoint && mounts::isAtOrBelow(*resolved, *root)) {
        targets.push_back(m.mountPoint);
      } else {
        failure = Error{"refusing to unmount `" + m.mountPoint + "`: it does not resolve to itself",
                        EPERM};
      }
    }
    if (targets.empty())
      break;

    // Private first, every one of them, before any unmount: an unmount propagates to the peers
    // of the parent mount, which for binds of shared host mounts (fly's /dev, /proc, /sys) are
    // the host's own mounts.
    for (const std::string& target : targets) {
      if (::mount(nullptr, target.c_str(), nullptr, MS_PRIVATE, nullptr) != 0 && errno != EINVAL &&
          errno != ENOENT) {
        failure = sysError("cannot make `" + target + "` private");
      }
    }
    for (const std::string& target : targets) {
      if (::umount2(target.c_str(), UMOUNT_NOFOLLOW) == 0)
        continue;
      int err = errno;
      if (err == EBUSY && ::umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
        continue;
      if (err == EBUSY)
        err = errno;
      // EINVAL: not a mount point any more (gone with its parent, or unmounted by someone else).
      if (err == EINVAL || err == ENOENT)
        continue;
      failure = sysError("cannot unmount `" + target + "`", err);
    }
  }
  Result<std::vector<mounts::MountInfo>> table = mounts::readMountInfo();
  if (!table)
    return table.error();
  std::vector<mounts::MountInfo> left = mounts::mountsBelow(*table, *root);
  if (left.empty())
    return {};
  std::string msg = "cannot unmount everything below `" + *root + "`: `" + left.front().mountPoint +
                    "` is still mounted";
  if (failure)
    msg += " (" + failure->message + ")";
  return Error{msg, failure ? failure->sysErrno : EBUSY};
}

}  // namespace rkt::pod
