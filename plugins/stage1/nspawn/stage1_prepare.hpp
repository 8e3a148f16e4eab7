// What the nspawn flavor does in stage0 before it starts systemd-nspawn: checks every app as
// rkt would (user, group, working directory, program), writes the apps' env files and the
// stage1 rootfs's few files (machine-id, hostname, hosts), turns volumes into nspawn binds and
// plans the pod for the supervisor. Everything found wrong here is an error `rkt run` prints.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_STAGE1_PREPARE_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_STAGE1_PREPARE_HPP

#include <sys/types.h>

#include <string>
#include <vector>

#include "nspawn_command.hpp"
#include "nspawn_pod.hpp"
#include "pod_plan.hpp"
#include "rkt/sdk/protocol/stage1.hpp"

namespace rkt::nspawn {

/// The supervisor's path inside the pod (bound read-only from the host's).
inline constexpr char kSupervisorInPod[] = "/rkt/supervisor";

struct PreparedStage1 {
  PodPlan plan;
  std::vector<NspawnBind> binds;
};

/// Prepares $POD/stage1/rootfs for the pod and returns the plan and the binds nspawn makes.
/// `supervisor` is the host path of the supervisor executable.
PreparedStage1 prepareStage1(const NspawnPod& pod, const protocol::stage1::RunRequest& request,
                             const std::string& supervisor);

/// Writes the plan where the supervisor reads it (once the pod's cgroups are known), owned by
/// the pod's root (host root + `shift` in a user namespace).
void writePodPlan(const NspawnPod& pod, const PodPlan& plan, uid_t shift);

/// rkt's default /etc/hosts with `hostname` added to its 127.0.0.1 line (`AddHostsEntry`).
std::string addHostnameToHosts(const std::string& hosts, const std::string& hostname);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_STAGE1_PREPARE_HPP
