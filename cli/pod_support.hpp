// What the pod commands (`rkt list`, `status`, `enter`, `stop`, `rm`, `gc`, `cat-manifest`,
// `export`) share: rkt's argument conventions (`--uuid-file`, `--wait=BOOL|DURATION`, app
// selection) and how pod UUIDs are quoted.
#ifndef RKT_CLI_POD_SUPPORT_HPP
#define RKT_CLI_POD_SUPPORT_HPP

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"

namespace rkt::cli {

/// rkt's parseDuration for `status --wait` / `--wait-ready`: "" and true words wait forever
/// (negative), false words do not wait (zero), anything else is a Go duration (negative = forever).
Result<std::chrono::nanoseconds> parseWaitValue(const std::string& value);

/// A wait duration as a pod::wait* timeout: negative -> pod::kWaitForever, else rounded up to
/// milliseconds.
std::chrono::milliseconds waitTimeout(std::chrono::nanoseconds d);

/// The UUID arguments of `stop` and `rm` (and the single one of `status`/`cat-manifest`):
/// --uuid-file XOR positional arguments.
enum class UuidArgs { Ok, Usage, UnreadableFile };
struct UuidArgList {
  UuidArgs outcome = UuidArgs::Ok;
  std::vector<std::string> uuids;
  Error fileError;
};
/// `single`: exactly one positional argument is allowed.
UuidArgList collectUuidArgs(const std::vector<std::string>& args, const std::string& uuidFile,
                            bool single);

/// rkt's app choice for `enter` and `export`: `flagApp` when given (and present in the pod
/// when `mustExist`), else the pod's only app. With several apps prints "pod contains multiple
/// apps:" and a tab-indented name per line on stderr, and fails with `specify app using "rkt
/// <command> --app= ..."`.
Result<std::string> chooseApp(const Invocation& inv, const pod::Pod& pod,
                              const std::string& flagApp, const std::string& command,
                              bool mustExist);

/// `"<uuid>"`: how rkt quotes pod UUIDs (Go's %q).
std::string quotedUuid(const pod::Uuid& uuid);

}  // namespace rkt::cli

#endif  // RKT_CLI_POD_SUPPORT_HPP
