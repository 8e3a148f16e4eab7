// The process-level isolators of one app, as the pod plan resolved them (rkt-notes §6.4–6.7),
// applied by execApp() between fork and execve in this order: oom_score_adj and the capability
// bounding set as root; then (after setgroups/setresgid/setresuid) the inheritable and ambient
// sets emptied, no_new_privs, and the seccomp filter last. rlimits: appc defines no isolator
// for them, so there is nothing an image can ask.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_ISOLATION_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_ISOLATION_HPP

#include <cstdint>
#include <string>

#include "app_cgroup.hpp"
#include "pod_plan.hpp"
#include "rkt/support/appexec/app_exec.hpp"
#include "seccomp_filter.hpp"

namespace rkt::nspawn {

class AppProcessIsolation : public appexec::ExecIsolation {
 public:
  /// Computes everything (the seccomp program included) up front.
  /// `cgroup`: the app's cgroup (app_cgroup.hpp), joined first.
  AppProcessIsolation(const AppIsolation& isolation, AppCgroup cgroup);

  const char* beforeCredentials() const override;
  const char* afterCredentials() const override;

 private:
  bool boundCapabilities_;
  std::uint64_t capabilities_;
  bool noNewPrivileges_;
  AppCgroup cgroup_;
  std::string oomScore_;  ///< empty: left as the supervisor's
  SeccompFilter seccomp_;
};

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_ISOLATION_HPP
