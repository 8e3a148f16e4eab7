#include "app_isolation.hpp"

#include <sys/prctl.h>

#include <utility>

#include "capabilities.hpp"
#include "oom_score.hpp"

namespace rkt::nspawn {

AppProcessIsolation::AppProcessIsolation(const AppIsolation& isolation, AppCgroup cgroup)
    : boundCapabilities_(isolation.boundCapabilities),
      capabilities_(capabilityMask(isolation.capabilities)),
      noNewPrivileges_(isolation.noNewPrivileges),
      cgroup_(std::move(cgroup)),
      oomScore_(isolation.hasOomScoreAdj ? oomScoreText(isolation.oomScoreAdj) : std::string()),
      seccomp_(isolation) {}

const char* AppProcessIsolation::beforeCredentials() const {
  if (const char* failed = joinAppCgroup(cgroup_)) {
    return failed;
  }
  if (!oomScore_.empty()) {
    if (const char* failed = setOomScoreAdj(oomScore_)) {
      return failed;
    }
  }
  if (boundCapabilities_) {
    return limitBoundingSet(capabilities_);
  }
  return nullptr;
}

const char* AppProcessIsolation::afterCredentials() const {
  if (boundCapabilities_) {
    if (const char* failed = clearInheritableCapabilities()) {
      return failed;
    }
  }
  if (noNewPrivileges_ && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return "cannot set no_new_privs";
  }
  return seccomp_.install();
}

}  // namespace rkt::nspawn
