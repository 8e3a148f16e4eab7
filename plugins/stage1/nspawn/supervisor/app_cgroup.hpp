// An app's own cgroup, `<pod cgroup>/system.slice/<app>.service` as rkt's systemd made it
// (rkt-notes §6.4), with the app's memory limit, cpu quota and cpu shares written before the
// app's process joins it (so the app never runs unlimited). The supervisor sees the pod's cgroup
// as the root of nspawn's cgroup namespace:
// - cgroup v1: nspawn mounts the controller hierarchies read-only; stage0 created the pod's
//   cgroup and the app's below it (pod_cgroup.cpp) in `memory`, `cpu` and `devices`, which
//   the supervisor binds on themselves read-write (rkt's pod subcgroup, writable in the pod)
//   and where it writes the limits; the other hierarchies (the caller's cgroups) stay
//   read-only;
// - cgroup v2: the namespace's tree is the pod's to manage: the supervisor moves itself into
//   `init.scope` (no processes in inner cgroups) and enables the controllers below, once; then
//   creates each app's cgroup.
// A controller the kernel lacks gives rkt's warning and the app runs without that limit.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_CGROUP_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_CGROUP_HPP

#include <functional>
#include <string>
#include <vector>

#include "cgroup_values.hpp"

namespace rkt::nspawn {

/// Where the app's process goes: the `cgroup.procs` files it writes itself into.
struct AppCgroup {
  std::vector<std::string> procsFiles;
};

/// cgroup v1, before anything else: binds each of `hierarchies` (directories below `root`, the
/// pod's /sys/fs/cgroup, rooted at the pod's own cgroup: PodPlan::ownCgroupHierarchies) on
/// itself read-write. Hierarchies the pod lacks are skipped. A failure goes to `warn`: the tree
/// stays read-only (the safe side) and only an app with limits fails, writing them.
void openOwnCgroups(const std::string& root, const std::vector<std::string>& hierarchies,
                    const std::function<void(const std::string&)>& warn);

/// Whether `root` (the pod's /sys/fs/cgroup) is the cgroup v2 hierarchy (not v1 or hybrid).
bool isCgroup2(const std::string& root);

/// Before any app starts, when one has limits, on cgroup v2: the supervisor leaves the
/// namespace's root for `init.scope` (a cgroup that hands controllers down may not hold
/// processes: apps started earlier would be in the way) and `+memory +cpu` (those the pod has)
/// are enabled down to `system.slice`. Throws on failure.
void preparePodCgroup(const std::string& root, const std::vector<ResourceLimits>& apps);

/// Prepares the app's cgroup for the limits it has (none: nothing to do) below `root` (the pod's
/// /sys/fs/cgroup). Warnings (missing controllers) go to `warn`. Throws on other failures.
AppCgroup prepareAppCgroup(const std::string& root, const std::string& app,
                           const ResourceLimits& limits,
                           const std::function<void(const std::string&)>& warn);

/// In the app's process, before execve: joins the cgroups. nullptr, or what failed (errno set).
const char* joinAppCgroup(const AppCgroup& cgroup);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_CGROUP_HPP
