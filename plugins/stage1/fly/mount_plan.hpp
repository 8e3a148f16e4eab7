// The mounts fly makes for its app, in the caller's mount namespace (rkt-notes §3.7):
// /dev, /proc and /sys made recursively shared and bound recursively into the app rootfs (the
// cgroup trees below /sys/fs/cgroup then made read-only there), a tmpfs on /tmp, the app's volumes,
// then the DNS configuration files. support/appexec makes them.
#ifndef RKT_PLUGINS_STAGE1_FLY_MOUNT_PLAN_HPP
#define RKT_PLUGINS_STAGE1_FLY_MOUNT_PLAN_HPP

#include <vector>

#include "fly_pod.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/support/appexec/mounts.hpp"
#include "rkt/support/appexec/root_dir.hpp"

namespace rkt::fly {

/// Everything fly mounts for the pod's app, in order. Creates the backing directories of empty
/// volumes and, in hosts mode `default`, the image's /etc/hosts when it has none; logs rkt's
/// warnings for implicit volumes.
std::vector<appexec::Mount> planMounts(const FlyPod& pod,
                                       const protocol::stage1::RunRequest& request,
                                       const appexec::RootDir& root);

}  // namespace rkt::fly

#endif  // RKT_PLUGINS_STAGE1_FLY_MOUNT_PLAN_HPP
