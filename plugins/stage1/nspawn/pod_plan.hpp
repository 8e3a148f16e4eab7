// The pod plan: what the nspawn plugin (in stage0, where the JSON manifests and the host are)
// decided for each app, handed to the pod supervisor (PID 1 inside the pod, linked statically
// without a JSON library) as `$S1/rkt/pod-plan`. The environment of each app travels separately
// in `$S1/rkt/env/<app>` (rkt's env file, which `enter` reads too).
//
// Encoding: a flat list of NUL-terminated strings, key then value, in order. `app` starts an
// app; `arg`, `gid`, … append to the last one; `handler` starts an event handler (its value is
// `pre-start` or `post-stop`) whose words follow as `handler-arg`. Unknown keys are refused:
// the plugin and the supervisor are always installed together.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_POD_PLAN_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_POD_PLAN_HPP

#include <sys/types.h>

#include <string>
#include <vector>

#include "cgroup_values.hpp"

namespace rkt::nspawn {

/// `$S1`-relative path of the plan.
inline constexpr char kPodPlanFile[] = "rkt/pod-plan";

struct EventHandler {
  std::string name;  ///< pre-start | post-stop
  std::vector<std::string> exec;
};

/// The process-level isolators of an app (rkt-notes §6.4, §6.5, §6.7), resolved by the plugin
/// from the image and the flags; the supervisor applies them between fork and execve.
struct AppIsolation {
  /// Whether the capability bounding set is limited to `capabilities` (false with
  /// --insecure-options=capabilities: the app keeps nspawn's whole set).
  bool boundCapabilities = false;
  std::vector<unsigned> capabilities;  ///< CAP_* numbers
  /// none (no filter: --insecure-options=seccomp, `@appc.io/all`), retain (allow-list) or
  /// remove (deny-list).
  std::string seccompMode = "none";
  int seccompErrno = 0;               ///< 0: a filtered call kills the process with SIGSYS
  std::vector<std::string> syscalls;  ///< names; those this architecture lacks are skipped
  bool noNewPrivileges = false;
  bool hasOomScoreAdj = false;
  int oomScoreAdj = 0;
  ResourceLimits resources;  ///< written into the app's cgroup before execve
};

struct AppPlan {
  std::string name;
  /// The path inside the app rootfs to execve (found by the plugin in the app's PATH).
  std::string program;
  std::vector<std::string> argv;
  std::string workDir = "/";
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> supplementaryGids;
  std::vector<EventHandler> handlers;
  /// The app mounts something at or below /sys: prepare-app leaves /sys alone (rkt).
  bool ownSys = false;
  /// The image says the app sends READY=1 to NOTIFY_SOCKET (annotation
  /// appc.io/executor/supports-systemd-notify=true).
  bool notify = false;
  /// --readonly-rootfs / the pod manifest's readOnlyRootFS: the rootfs mount itself is made
  /// read-only; the mounts on it (volumes, /tmp, /run, API file systems) keep their own flags.
  bool readOnlyRootfs = false;
  /// devices.allow rules (`c 8:0 rw`) for the host device nodes the app's volumes name.
  std::vector<std::string> deviceRules;
  AppIsolation isolation;
};

struct PodPlan {
  std::string uuid;
  std::string hostname;
  std::string resolvMode = "default";  ///< host | stage0 | none | default
  std::string hostsMode = "default";   ///< host | stage0 | default
  bool interactive = false;
  /// rkt's read-only and inaccessible paths in every app (false: --insecure-options=paths).
  bool protectPaths = true;
  /// Seconds between SIGTERM and SIGKILL when the pod stops.
  int stopTimeout = 10;
  /// cgroup v1 hierarchies (directories below /sys/fs/cgroup) whose root in the pod's cgroup
  /// namespace is the pod's own cgroup, as stage0 made it: the supervisor makes them writable
  /// (nspawn mounts every controller read-only; rkt left the pod's subcgroup read-write).
  std::vector<std::string> ownCgroupHierarchies;
  std::vector<AppPlan> apps;
};

std::string encodePodPlan(const PodPlan& plan);
/// Throws rkt::sdk::Error (RKT_E_INVALID) naming what is wrong.
PodPlan decodePodPlan(const std::string& bytes);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_POD_PLAN_HPP
