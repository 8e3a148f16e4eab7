// The pod's own cgroup, `machine-rkt\x2d<uuid>.scope` below rkt's cgroup, in the hierarchies
// systemd-nspawn uses (name=systemd and/or cgroup2). systemd-nspawn starts in it, so the
// `payload` and `supervisor` cgroups it creates with --keep-unit are the pod's own (not shared
// by every pod started from the same cgroup); `rkt run`, nspawn's parent and outside them,
// removes them when the pod is over, and `gc` after a SIGKILL (rkt-notes §3.6.2 step 12, §3.6.6).
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_POD_CGROUP_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_POD_CGROUP_HPP

#include <string>
#include <vector>

namespace rkt::nspawn {

/// `$POD`-relative file listing the cgroup directories of the pod (one absolute path a line).
inline constexpr char kPodCgroupsFile[] = "nspawn-cgroups";
/// rkt's `$POD/subcgroup`: the pod's cgroup path in its first hierarchy.
inline constexpr char kSubcgroupFile[] = "subcgroup";

/// `machine-rkt\x2d<uuid with \x2d for ->.scope`, as systemd escapes the machine's scope.
std::string podCgroupName(const std::string& uuid);

/// Whether the host has cgroup v2 only: cgroup2 mounted on /sys/fs/cgroup.
bool hostHasUnifiedCgroups();

/// The pod's cgroups, as createPodCgroups made them.
struct PodCgroups {
  std::vector<std::string> dirs;  ///< one a hierarchy, for joinCgroups
  /// The v1 hierarchies where the apps' cgroups are made too (`memory`, `cpu`, `devices`: their
  /// directories below /sys/fs/cgroup), which the pod sees rooted at its own cgroup.
  std::vector<std::string> ownHierarchies;
};

/// Creates the pod's cgroup in each hierarchy and records the directories in
/// `$POD/nspawn-cgroups` and `$POD/subcgroup`. In the v1 `memory`, `cpu` and `devices`
/// hierarchies it also makes `system.slice/<app>.service` for each of `apps`, where the
/// supervisor writes the app's limits and device rules. Throws on failure.
PodCgroups createPodCgroups(const std::string& podDir, const std::string& uuid,
                            const std::vector<std::string>& apps);

/// Moves the calling process into each of `dirs`. Throws on failure.
void joinCgroups(const std::vector<std::string>& dirs);

/// The `cgroup.procs` of the calling process's own cgroup in the first hierarchy enterPodCgroup
/// uses, or "" on a host without one.
std::string ownCgroupProcs();

/// Removes the directories `$POD/nspawn-cgroups` lists, deepest first (only empty cgroups can
/// go: a cgroup that still has processes is left and reported). Returns the lines of problems.
std::vector<std::string> removePodCgroups(const std::string& podDir, const std::string& uuid);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_POD_CGROUP_HPP
