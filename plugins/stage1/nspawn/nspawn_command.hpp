// The systemd-nspawn command line of a pod (rkt-notes §3.6.4, minus what needs systemd inside
// the pod): the host's systemd-nspawn runs the stage1 rootfs with the pod supervisor as PID 1.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_COMMAND_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_COMMAND_HPP

#include <string>
#include <vector>

namespace rkt::nspawn {

/// A bind of a host path into the pod (`--bind` / `--bind-ro`), target relative to the pod's
/// root (the stage1 rootfs).
struct NspawnBind {
  std::string source;
  std::string target;
  bool readOnly = false;
  bool recursive = true;
};

struct NspawnOptions {
  std::string nspawn = "systemd-nspawn";  ///< the program
  std::string uuid;
  std::string stage1Rootfs;
  std::string hostname;
  std::string supervisor;  ///< the supervisor's path inside the pod
  bool debug = false;
  bool registerMachine = false;
  bool keepUnit = false;
  bool hostRunsSystemd = false;  ///< --link-journal=try-guest, else no
  std::string net = "default";   ///< host | none | default
  bool shareIpc = false;         ///< --ipc=parent
  bool allCapabilities = false;  ///< --insecure-options=capabilities
  /// Otherwise the capabilities some app keeps (CAP_*): nspawn adds those it does not give
  /// by default to the pod's bounding set (rkt's `--capability=`).
  std::vector<std::string> capabilities;
  bool writableApiVfs = false;  ///< --insecure-options=paths
  bool unifiedCgroups = false;  ///< the host has cgroup v2 only (cgroup2 on /sys/fs/cgroup)
  /// interactive (the caller's terminal), read-only (output from a pty, no input) or pipe
  /// (the caller's stdio as they are).
  std::string console = "pipe";
  /// rkt runs with NOTIFY_SOCKET (a Type=notify unit): nspawn reports the pod ready when its
  /// PID 1 says READY=1, not as soon as it started.
  bool notifyReady = false;
  /// --private-users: "<shift>:<count>" (empty: none). The trees are owned by the shifted ids
  /// already (stage0's idmapped lower, our chown of the stage1 tree): nspawn changes nothing.
  std::string privateUsers;
  std::vector<NspawnBind> binds;
};

/// `--bind=SRC:DST:rbind` with `\` and `:` escaped as nspawn reads them.
std::string bindArgument(const NspawnBind& bind);

/// argv of systemd-nspawn (argv[0] is `nspawn`).
std::vector<std::string> nspawnArgv(const NspawnOptions& options);
/// Variables added to the environment systemd-nspawn runs with (NAME=VALUE).
std::vector<std::string> nspawnEnvironment(const NspawnOptions& options);

/// The machine name: rkt-<uuid>.
std::string machineName(const std::string& uuid);
/// The UUID without dashes (the pod's /etc/machine-id and --uuid).
std::string machineId(const std::string& uuid);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_COMMAND_HPP
