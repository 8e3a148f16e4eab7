// Making an app's mounts inside its rootfs, in the caller's mount namespace: binds of host paths
// (recursive or not, read-only or not) and tmpfs, each on a target resolved inside the rootfs.
// What to mount is the flavor's plan (fly: plugins/stage1/fly/mount_plan.hpp).
#ifndef RKT_SUPPORT_APPEXEC_MOUNTS_HPP
#define RKT_SUPPORT_APPEXEC_MOUNTS_HPP

#include <string>
#include <vector>

#include "rkt/support/appexec/root_dir.hpp"

namespace rkt::appexec {

struct Mount {
  /// ReadOnly mounts nothing: it makes the mount an earlier entry put at `target` read-only
  /// (every mount below it too with `recursive`), in the caller's mount namespace only.
  enum class Type { Bind, Tmpfs, ReadOnly };
  Type type = Type::Bind;
  std::string source;  ///< host path (Bind)
  std::string target;  ///< path inside the app, resolved inside the rootfs when mounting
  bool recursive = false;
  bool readOnly = false;
  /// Make the source a recursively shared mount first, so mounts under it propagate both ways.
  bool shareSource = false;
};

/// Makes the mounts. Targets are resolved inside `root` (never leaving it) and created when
/// missing: a directory, or an empty file when the source is not a directory. Throws on the
/// first failure (mounts made so far stay; the core unmounts everything below $POD).
void applyMounts(const RootDir& root, const std::vector<Mount>& mounts);

/// Adds `/etc/mtab -> ../proc/self/mounts` when the image has /etc and no /etc/mtab.
void ensureMtab(const RootDir& root);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_MOUNTS_HPP
