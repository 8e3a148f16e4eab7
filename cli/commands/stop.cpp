// `rkt stop [--force] (--uuid-file=FILE | UUID...)` (rkt-notes §1.12): asks each running pod's
// stage1 to stop it (the flavor's `stop` op; `--force` kills).
#include <ostream>
#include <string>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"

namespace rkt::cli {
namespace {

class StopCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--force", force_, "forced stopping");
    addStringFlag(app, "--uuid-file", uuidFile_, "read pod UUID from file instead of argument")
        ->type_name(kFileType);
  }

  int run(Invocation& inv) override {
    UuidArgList uuids = collectUuidArgs(inv.args, uuidFile_, false);
    if (uuids.outcome == UuidArgs::Usage)
      return inv.usageError();
    int ret = kExitOk;
    if (uuids.outcome == UuidArgs::UnreadableFile) {
      inv.error("unable to resolve UUID from file: " + uuids.fileError.message);
      ret = 1;  // rkt's exit code for an unreadable --uuid-file
    }
    std::optional<Engine> engine;
    if (!uuids.uuids.empty() && !(engine = openEngine(inv)))
      return kExitFailure;

    int failures = 0;
    for (const std::string& arg : uuids.uuids) {
      Result<pod::Pod> pod = pod::openPod(engine->podDirs(), arg);
      if (!pod) {
        ++failures;
        inv.error("cannot get pod: " + pod.error().message);
        continue;
      }
      if (pod::isAfterRun(pod->state())) {
        inv.out << "pod " << quotedUuid(pod->uuid()) << " is already stopped\n";
        continue;
      }
      if (pod->state() != pod::State::Running) {
        inv.error("pod " + quotedUuid(pod->uuid()) + " is not running");
        ++failures;
        continue;
      }
      Status stopped = engine->stop(*pod, force_);
      if (stopped) {
        inv.out << quotedUuid(pod->uuid()) << '\n';
      } else {
        inv.error("error stopping " + quotedUuid(pod->uuid()) + ": " + stopped.error().message);
        ++failures;
      }
      inv.out.flush();
    }
    if (failures > 0)
      return inv.fail("failed to stop " + std::to_string(failures) + " pod(s)");
    return ret;
  }

 private:
  bool force_ = false;
  std::string uuidFile_;
};

}  // namespace

extern const CommandSpec kStopCommand =
    CommandSpec("stop", "Stop a pod")
        .runs<StopCommand>()
        .withUsage("--uuid-file=FILE | UUID ...")
        .withDescription(
            "Asks the stage1 of each running pod to stop it: the fly stage1 sends the app\n"
            "SIGTERM, or SIGKILL with --force.")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
