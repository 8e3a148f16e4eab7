// Resolving an app's process-level isolators (rkt-notes §6.4, §6.5, §6.7) into what the pod
// plan hands the supervisor: in stage0, so that an unknown capability, errno or seccomp group
// is `rkt run`'s error before the pod starts. The isolators are the app's as the pod manifest
// has them: rkt's stage0 already replaced the image's with `--caps-retain`/`--caps-remove`/
// `--seccomp` ones.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_APP_ISOLATION_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_APP_ISOLATION_HPP

#include <sys/types.h>

#include <string>
#include <vector>

#include "pod_plan.hpp"
#include "rkt/schema/isolator.hpp"

namespace rkt::nspawn {

/// What --insecure-options lifts, as far as these isolators go.
struct IsolationInsecurity {
  bool capabilities = false;
  bool seccomp = false;
};

/// The capability bounding set: the retain set, the default 14 minus the remove set, or the
/// default 14. Throws RKT_E_INVALID naming an unknown capability.
std::vector<unsigned> resolveCapabilities(const std::string& app,
                                          const schema::Isolators& isolators);

/// The seccomp filter (mode, errno, system calls) into `out`: the default allow-list without an
/// isolator; groups expanded. Throws RKT_E_INVALID naming an unknown group or errno.
void resolveSeccomp(const std::string& app, const schema::Isolators& isolators, AppIsolation& out);

/// Everything, for an app running as `uid`.
AppIsolation resolveAppIsolation(const std::string& app, const schema::Isolators& isolators,
                                 uid_t uid, const IsolationInsecurity& insecure);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_APP_ISOLATION_HPP
