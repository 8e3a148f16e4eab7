// Pod-wide environment flags of `rkt run` / `rkt prepare` and how they combine with the image's
// and the per-app environment (rkt-notes §6.1). Precedence, lowest first:
//   image manifest  <  --inherit-env (only names the image does not set)  <  --set-env-file
//   <  --set-env  <  per-app --environment
#ifndef RKT_CORE_STAGE0_ENVIRONMENT_HPP
#define RKT_CORE_STAGE0_ENVIRONMENT_HPP

#include <string>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::stage0 {

/// The pod-wide environment from the command line.
struct PodEnvironment {
  bool inheritEnv = false;
  std::vector<std::string> inherited;  ///< the caller's environ ("K=V"), used with inheritEnv
  schema::Environment fromFile;        ///< --set-env-file
  schema::Environment explicitEnv;     ///< --set-env
};

/// Adds one `--set-env` value: "must be specified as key=value", `key "K" already set`.
Status addSetEnv(schema::Environment& env, const std::string& assignment);

/// Reads a `--set-env-file`: `K=V` lines; empty lines and lines starting with `#` or `;` are
/// skipped. Errors: `environment variable must be specified as name=value (file "F")`,
/// `environment variable "K" already set (file "F")`, or the open error.
Status readEnvFile(schema::Environment& env, const std::string& path);

/// The app's final environment: `image` with the pod-wide layers and then `perApp` applied.
schema::Environment mergeEnvironment(const schema::Environment& image, const PodEnvironment& pod,
                                     const schema::Environment& perApp);

/// The current process environment as "K=V" strings (entries without `=` skipped).
std::vector<std::string> processEnvironment();

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_ENVIRONMENT_HPP
