// --private-users (docs/user-namespaces.md): what this plugin writes for a pod as host root and
// the pod's root (uid 0 of its user namespace, the range's first host uid) must own.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_POD_USERNS_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_POD_USERNS_HPP

#include <sys/types.h>

#include <string>

#include "nspawn_pod.hpp"

namespace rkt::nspawn {

/// The shift of the run request's `private_users` ("<shift>:<count>"); an invalid field error
/// otherwise.
uid_t privateUsersShift(const std::string& range);

/// The stage1 tree and the empty volumes, made the pod root's (+shift), or the supervisor could
/// not read its plan nor write statuses and logs; in the apps' roots (stage0's, already in the
/// range) what prepareStage1 added (/etc/mtab, mount targets). Ids at or above `shift` are
/// left alone, so nothing of an idmapped lower is copied up.
void shiftPodTrees(const NspawnPod& pod, uid_t shift);

/// The apps' cgroups this plugin made in the v1 `memory` and `cpu` hierarchies
/// (enterPodCgroup), and their knobs, made the pod root's: the supervisor writes the apps'
/// limits there from inside the user namespace. (nspawn hands the pod its name=systemd and
/// cgroup2 trees itself.)
void shiftAppCgroups(const std::string& podDir, uid_t shift);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_POD_USERNS_HPP
