// The device policy of an app (rkt's DevicePolicy=closed + DeviceAllow=, rkt-notes §6.6) on
// cgroup v1: the app runs in `system.slice/<app>.service` of the pod's devices hierarchy, which
// denies every device but systemd's standard nodes and the device volumes the pod names.
// nspawn mounts the pod's cgroup trees read-only, so the supervisor mounts the devices
// hierarchy (its cgroup namespace's root: the pod's cgroup) once more where only it sees it.
// cgroup v2 (an eBPF device program, as crun does) is not done yet: no policy there.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_CGROUP_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_CGROUP_HPP

#include <string>
#include <vector>

namespace rkt::nspawn {

/// Creates the app's devices cgroup with its rules (`c 1:3 rwm`, … then `extraRules`).
/// Returns the path of its `cgroup.procs`, or "" (with a warning on stderr) when the host has
/// no cgroup v1 devices controller. Throws rkt::sdk::Error when a rule cannot be written.
std::string prepareDeviceCgroup(const std::string& app, const std::vector<std::string>& extraRules);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_DEVICE_CGROUP_HPP
