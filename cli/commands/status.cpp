// `rkt status [--wait[=BOOL|DUR]] [--wait-ready[=BOOL|DUR]] [--format=json|json-pretty]
// (UUID | --uuid-file=FILE)` (rkt-notes §1.16): one `key=value` per line, or the v1.Pod JSON.
#include <ostream>
#include <string>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/pod_json.hpp"
#include "rkt/core/pod/wait.hpp"
#include "rkt/core/util/humanize.hpp"

namespace rkt::cli {
namespace {

constexpr const char* kGoZeroTime = "0001-01-01 00:00:00 +0000 UTC";

class StatusCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addOptionalValueFlag(app, "--wait", wait_, "true",
                         "toggles waiting for the pod to finish. Use the output to determine the "
                         "actual terminal state.");
    addOptionalValueFlag(app, "--wait-ready", waitReady_, "true",
                         "toggles waiting until the pod is ready.");
    completeWords(addStringFlag(app, "--format", format_,
                                "choose the output format. Allowed format includes 'json', "
                                "'json-pretty'. If empty, then the result is printed as key "
                                "value pairs"),
                  "json json-pretty");
    addStringFlag(app, "--uuid-file", uuidFile_, "read pod UUID from file instead of argument")
        ->type_name(kFileType);
  }

  int run(Invocation& inv) override {
    if (!format_.empty() && format_ != "json" && format_ != "json-pretty") {
      return inv.usageError("invalid argument \"" + format_ +
                            "\" for \"--format\" flag: unknown output format");
    }
    UuidArgList uuids = collectUuidArgs(inv.args, uuidFile_, true);
    if (uuids.outcome == UuidArgs::UnreadableFile) {
      inv.error("unable to resolve UUID from file: " + uuids.fileError.message);
      return 1;
    }
    if (uuids.outcome == UuidArgs::Usage)
      return inv.usageError();
    Result<std::chrono::nanoseconds> wait = parseWaitValue(wait_);
    if (!wait)
      return inv.usageError(wait.error().message);
    Result<std::chrono::nanoseconds> ready = parseWaitValue(waitReady_);
    if (!ready)
      return inv.usageError(ready.error().message);

    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<pod::Pod> pod = pod::openPod(engine->podDirs(), uuids.uuids.front());
    if (!pod)
      return inv.fail(pod.error().wrap("problem retrieving pod"));

    if (ready->count() != 0) {
      if (Status s = pod::waitReady(*pod, waitTimeout(*ready)); !s)
        return inv.fail(s.error().wrap("error waiting for pod readiness"));
    }
    if (wait->count() != 0) {
      if (Status s = pod::waitFinished(*pod, waitTimeout(*wait)); !s)
        return inv.fail(s.error().wrap("error waiting for pod to finish"));
    }
    if (Status s = printStatus(inv, *pod); !s)
      return inv.fail(s.error().wrap("unable to print status"));
    return kExitOk;
  }

 private:
  Status printStatus(Invocation& inv, const pod::Pod& pod) const {
    if (!format_.empty()) {
      Result<std::string> json = pod::podToJson(pod);
      if (!json)
        return json.error().wrap("error converting pod");
      inv.out << pod::podJsonObject(*json, format_ == "json-pretty") << '\n';
      return {};
    }
    const pod::State state = pod.state();
    std::string text = "state=" + std::string(pod::stateName(state)) + "\n";
    Result<std::optional<pod::TimePoint>> created = pod::creationTime(pod);
    if (!created) {
      return created.error().wrap("unable to get creation time for pod " + quotedUuid(pod.uuid()));
    }
    text += "created=" + (*created ? util::formatLongTime(**created) : kGoZeroTime) + "\n";
    Result<std::optional<pod::TimePoint>> started = pod::startTime(pod);
    if (!started)
      return started.error().wrap("unable to get start time for pod " + quotedUuid(pod.uuid()));
    if (*started)
      text += "started=" + util::formatLongTime(**started) + "\n";
    if (state == pod::State::Running || state == pod::State::Exited) {
      Result<std::vector<pod::NetInfo>> nets = pod::readNetworks(pod);
      text += "networks=" + (nets ? pod::formatNetworks(*nets) : std::string()) + "\n";
    }
    const bool exited = state == pod::State::Exited || state == pod::State::ExitedGarbage;
    if (state == pod::State::Running || state == pod::State::Deleting ||
        state == pod::State::ExitedDeleting || exited) {
      // The pid file may not be written yet while the state is already "running".
      if (Result<pid_t> pid = pod::readPid(pod); pid)
        text += "pid=" + std::to_string(*pid) + "\n";
      text += std::string("exited=") + (exited ? "true" : "false") + "\n";
      if (state != pod::State::Running) {
        Result<std::vector<pod::ManifestApp>> apps = pod::readManifestApps(pod);
        if (!apps) {
          return apps.error().wrap("unable to get exit statuses for pod " + quotedUuid(pod.uuid()));
        }
        for (const pod::ManifestApp& app : *apps) {
          if (Result<int> code = pod::appExitCode(pod, app.name); code)
            text += "app-" + app.name + "=" + std::to_string(*code) + "\n";
        }
      }
    }
    inv.out << text;
    return {};
  }

  std::string wait_ = "false";
  std::string waitReady_ = "false";
  std::string format_;
  std::string uuidFile_;
};

}  // namespace

extern const CommandSpec kStatusCommand =
    CommandSpec("status", "Check the status of a rkt pod")
        .runs<StatusCommand>()
        .withUsage("[--wait=bool|timeout] [--wait-ready=bool|timeout] --uuid-file=FILE | UUID")
        .withDescription(
            "Prints assorted information about the pod such as its state, pid and exit status.\n"
            "\n"
            "The --wait and --wait-ready flags accept boolean or timeout values. If set to true, "
            "wait\nindefinitely. If set to false, don't wait at all.\n"
            "They can also be set to a duration. If the duration is less than zero, wait "
            "indefinitely.\nIf the duration is zero, don't wait at all.")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
