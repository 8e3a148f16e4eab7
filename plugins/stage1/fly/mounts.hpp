// The mounts fly makes for its app, in the caller's mount namespace (rkt-notes §3.7):
// /dev, /proc and /sys made recursively shared and bound recursively into the app rootfs, a
// tmpfs on /tmp, the app's volumes, then the DNS configuration files.
#ifndef RKT_PLUGINS_STAGE1_FLY_MOUNTS_HPP
#define RKT_PLUGINS_STAGE1_FLY_MOUNTS_HPP

#include <string>
#include <vector>

#include "fly_pod.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "root_dir.hpp"

namespace rkt::fly {

struct FlyMount {
  enum class Type { Bind, Tmpfs };
  Type type = Type::Bind;
  std::string source;  ///< host path (Bind)
  std::string target;  ///< path inside the app, resolved inside the rootfs when mounting
  bool recursive = false;
  bool readOnly = false;
  /// Make the source a recursively shared mount first, so mounts under it propagate both ways.
  bool shareSource = false;
};

/// Everything fly mounts for the pod's app, in order. Creates the backing directories of empty
/// volumes and, in hosts mode `default`, the image's /etc/hosts when it has none; logs rkt's
/// warnings for implicit volumes.
std::vector<FlyMount> planMounts(const FlyPod& pod, const protocol::stage1::RunRequest& request,
                                 const RootDir& root);

/// Makes the mounts. Targets are resolved inside `root` (never leaving it) and created when
/// missing: a directory, or an empty file when the source is not a directory. Throws on the
/// first failure (mounts made so far stay; the core unmounts everything below $POD).
void applyMounts(const RootDir& root, const std::vector<FlyMount>& mounts);

/// Adds `/etc/mtab -> ../proc/self/mounts` when the image has /etc and no /etc/mtab.
void ensureMtab(const RootDir& root);

}  // namespace rkt::fly

#endif  // RKT_PLUGINS_STAGE1_FLY_MOUNTS_HPP
