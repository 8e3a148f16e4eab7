// rkt's prepare-app (rkt-notes §3.6.5) for one app, inside the pod: the app's rootfs becomes a
// mount point of its own and gets the pod's device nodes, /dev/pts, /dev/shm, /proc, /sys, a
// /tmp and a /run, the DNS and hosts files per the pod's modes, /etc/hostname and
// /etc/machine-id. Volumes are already there (systemd-nspawn bound them).
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_PREPARE_APP_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_PREPARE_APP_HPP

#include <string>

#include "pod_plan.hpp"

namespace rkt::nspawn {

/// `/opt/stage2/<app>/rootfs`, inside the pod.
std::string appRootfsInPod(const std::string& app);

/// Makes the app's mounts. Throws rkt::sdk::Error naming what failed.
void prepareApp(const PodPlan& pod, const AppPlan& app);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_PREPARE_APP_HPP
