// The app's environment (rkt-notes §6.1) and the env file `$S1/rkt/env/<app>` that `enter`
// reads back.
#ifndef RKT_SUPPORT_APPEXEC_ENVIRONMENT_HPP
#define RKT_SUPPORT_APPEXEC_ENVIRONMENT_HPP

#include <string>
#include <utility>
#include <vector>

namespace rkt::appexec {

/// Ordered NAME=VALUE pairs.
using EnvList = std::vector<std::pair<std::string, std::string>>;

/// The environment an app runs with: rkt's defaults for the names the app does not set (PATH,
/// SHELL, USER, LOGNAME, HOME, in that order), then the app's variables in their order with
/// AC_APP_NAME set to `appName` (replacing a value the app set).
EnvList composeEnvironment(const EnvList& appEnv, const std::string& appName);

/// Value of `name`, or `fallback`.
std::string envValue(const EnvList& env, const std::string& name, const std::string& fallback);
/// Replaces the value of `name` or appends it.
void setEnv(EnvList& env, const std::string& name, const std::string& value);

/// The env file text: one `NAME=VALUE` line per variable.
std::string formatEnvFile(const EnvList& env);
/// Parses an env file; lines without `=` are ignored.
EnvList parseEnvFile(const std::string& text);

/// "NAME=VALUE" strings for execve(2).
std::vector<std::string> toEnviron(const EnvList& env);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_ENVIRONMENT_HPP
