// What `rkt run`, `rkt prepare` and `rkt run-prepared` share: checking their flags, preparing a
// pod directory from images (or --pod-manifest), and handing a pod in run/ to its stage1.
#ifndef RKT_CLI_POD_RUN_SUPPORT_HPP
#define RKT_CLI_POD_RUN_SUPPORT_HPP

#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "global_options.hpp"
#include "image_support.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/stage0/dns.hpp"
#include "rkt/core/stage0/pod_setup.hpp"
#include "rkt/core/stage1/stage1_client.hpp"
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

/// The data directory, plugins, store and stage1 of one run/prepare/run-prepared.
struct RunContext {
  ImageContext images;
  std::optional<stage1::Stage1Client> stage1;
  bool overlay = true;
};

/// Loads configuration and store (as the image commands do) and the stage1 flavor the flags
/// (or stage1.d, or the build default) select. Prints the error and returns nullopt on failure.
std::optional<RunContext> openRunContext(const Invocation& inv, const RunFlags& flags);

/// rkt's run steps 2–6: finds the images, creates the pod (embryo -> prepare, locked), writes
/// --uuid-file-save (run only), renders the trees and writes the pod directory. On success the
/// pod is "preparing" and holds its lock; `apps` describes its apps.
Result<pod::Pod> preparePod(const Invocation& inv, RunFlags& flags, RunContext& ctx,
                            std::vector<stage0::PreparedApp>& apps, bool isRun);

/// rkt's stage0 Run for a pod already in run/ holding its exclusive lock: private mount
/// namespace, overlay mounts, DNS files, RKT_LOCK_FD, then the stage1's `run`. Returns the exit
/// code of `rkt run` (fly does not return on success).
int runPod(const Invocation& inv, const RunFlags& flags, RunContext& ctx, pod::Pod& pod,
           const std::vector<stage0::PreparedApp>& apps, bool overlay,
           const stage0::DnsConfig& dns);

}  // namespace rkt::cli

#endif  // RKT_CLI_POD_RUN_SUPPORT_HPP
