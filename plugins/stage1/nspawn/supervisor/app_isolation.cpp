#include "app_isolation.hpp"

#include <sys/prctl.h>

#include <utility>

#include "capabilities.hpp"
#include "device_cgroup.hpp"
#include "oom_score.hpp"

namespace rkt::nspawn {

AppProcessIsolation::AppProcessIsolation(const AppIsolation& isolation,
                                         std::string devicesCgroupProcs)
    : boundCapabilities_(isolation.boundCapabilities),
      capabilities_(capabilityMask(isolation.capabilities)),
      noNewPrivileges_(isolation.noNewPrivileges),
      oomScore_(isolation.hasOomScoreAdj ? oomScoreText(isolation.oomScoreAdj) : std::string()),
      seccomp_(isolation),
      devicesCgroupProcs_(std::move(devicesCgroupProcs)) {}

const char* AppProcessIsolation::beforeCredentials() const {
  if (!devicesCgroupProcs_.empty()) {
    if (const char* failed = joinCgroup(devicesCgroupProcs_)) {
      return failed;
    }
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
