// The device policy of an app (rkt's DevicePolicy=closed + DeviceAllow=, rkt-notes §6.6): the
// app runs in `system.slice/<app>.service`, which denies every device but the standard nodes
// and the device volumes the pod names.
// - cgroup v1: in the pod's devices hierarchy. nspawn mounts the pod's cgroup trees read-only,
//   so the supervisor mounts the devices hierarchy (its cgroup namespace's root: the pod's
//   cgroup) once more where only it sees it, and writes devices.deny/devices.allow;
// - cgroup v2: in the pod's unified tree, with an eBPF device program attached
//   (device_program.hpp), as crun does.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_CGROUP_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_CGROUP_HPP

#include <string>
#include <vector>

namespace rkt::nspawn {

/// Creates the app's devices cgroup below `root` (the pod's /sys/fs/cgroup) allowing the standard
/// nodes (`c 1:3 rwm`, …) then `extraRules` (`devices.allow` lines). Returns the path of its
/// `cgroup.procs`, or "" (with a warning on stderr) on a v1 host without the devices
/// controller. Throws rkt::sdk::Error when the policy cannot be set.
std::string prepareDeviceCgroup(const std::string& root, const std::string& app,
                                const std::vector<std::string>& extraRules);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_CGROUP_HPP
