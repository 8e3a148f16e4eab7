// What `rkt run`, `rkt prepare` and `rkt run-prepared` share: parsing and checking their flags,
// and the engine's options they make (the work itself is the engine's, rkt/core/engine.hpp).
#ifndef RKT_CLI_POD_RUN_SUPPORT_HPP
#define RKT_CLI_POD_RUN_SUPPORT_HPP

#include <optional>
#include <string>

#include "command.hpp"
#include "global_options.hpp"
#include "rkt/core/engine.hpp"
#include "rkt/core/stage0/dns.hpp"
#include "run_flags.hpp"

namespace rkt::cli {

/// Parses the arguments from the first image on (parseAppArgs) into `flags`; global flags among
/// them update `global` (a copy of inv.global the command then runs with, see withGlobals()).
Status parseRunArgs(const Invocation& inv, RunFlags& flags, RunCommandKind which,
                    GlobalOptions& global);

/// `inv` with other global options (which must outlive the result).
Invocation withGlobals(const Invocation& inv, const GlobalOptions& global);

/// Flag combinations rkt refuses before doing anything (rkt-notes §1.7), including
/// `conflicting flags set with --pod-manifest (see --help)` and `must provide at least one image
/// or specify the pod manifest`. Prints nothing; returns the message.
std::optional<std::string> checkRunFlags(RunFlags& flags, const Invocation& inv, bool isRun);

/// What the flags say about the pod to prepare (Engine::prepare, Engine::run).
PrepareOptions prepareOptions(const RunFlags& flags);

/// What the flags say about running the pod, with its parsed DNS flags (Engine::run,
/// Engine::runPrepared).
RunOptions runOptions(const RunFlags& flags, const stage0::DnsConfig& dns);

}  // namespace rkt::cli

#endif  // RKT_CLI_POD_RUN_SUPPORT_HPP
