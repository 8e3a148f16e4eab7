// `rkt list [--full] [--no-legend] [--format=json|json-pretty]` (rkt-notes §1.15): the pods in
// prepare/, prepared/, run/ and exited-garbage/, by UUID, one line per app. Problems reading a
// pod are collected and printed after the table; the exit code stays 0.
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/base/shorten.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/pod_json.hpp"
#include "rkt/core/util/humanize.hpp"
#include "rkt/core/util/tab_writer.hpp"

namespace rkt::cli {
namespace {

// Go's zero time.Time, which rkt prints for pods without a creation time yet.
constexpr const char* kGoZeroTime = "0001-01-01 00:00:00 +0000 UTC";

class ListCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--no-legend", noLegend_, "suppress a legend with the list");
    addBoolFlag(app, "--full", full_, "use long output format");
    completeWords(addStringFlag(app, "--format", format_,
                                "choose the output format, allowed format includes 'json', "
                                "'json-pretty'. If empty, then the result is printed as key "
                                "value pairs"),
                  "json json-pretty");
  }

  int run(Invocation& inv) override {
    if (!format_.empty() && format_ != "json" && format_ != "json-pretty") {
      return inv.usageError("invalid argument \"" + format_ +
                            "\" for \"--format\" flag: unknown output format");
    }
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    now_ = std::chrono::system_clock::now();

    if (!noLegend_ && format_.empty()) {
      if (full_) {
        rows_.push_back(
            {"UUID", "APP", "IMAGE NAME", "IMAGE ID", "STATE", "CREATED", "STARTED", "NETWORKS"});
      } else {
        rows_.push_back({"UUID", "APP", "IMAGE NAME", "STATE", "CREATED", "STARTED", "NETWORKS"});
      }
    }
    Status walked = pod::walkPods(
        engine->podDirs(), pod::mostPhases(),
        [&](pod::Pod& pod) {
          if (format_.empty()) {
            addRows(pod);
          } else if (Result<std::string> json = pod::podToJson(pod); json) {
            objects_.push_back(std::move(*json));
          } else {
            errors_.push_back(json.error().message);
          }
        },
        [&](const pod::Uuid& uuid, const Error& e) {
          errors_.push_back("unable to open pod " + uuid.str() + ": " + e.message);
        });
    if (!walked)
      return inv.fail(walked.error().wrap("failed to get pod handles"));

    if (format_.empty()) {
      // rkt prints the table through Go's log package, which ends an empty one with a newline.
      std::string table = util::formatTabTable(rows_);
      inv.out << (table.empty() ? "\n" : table);
    } else {
      inv.out << pod::podJsonArray(objects_, format_ == "json-pretty") << '\n';
    }
    inv.out.flush();
    if (!errors_.empty())
      printErrors(inv);
    return kExitOk;
  }

 private:
  std::string formatTime(pod::TimePoint t) const {
    return full_ ? util::formatLongTime(t) : util::humanizeTime(t, now_);
  }

  void addRows(const pod::Pod& pod) {
    const pod::State state = pod.state();
    std::vector<pod::ManifestApp> apps;
    // rkt's PodManifestAvailable: not while preparing, after an aborted prepare or deleting.
    if (state != pod::State::Preparing && state != pod::State::AbortedPrepare &&
        state != pod::State::Deleting) {
      Result<std::vector<pod::ManifestApp>> read = pod::readManifestApps(pod);
      if (!read) {
        errors_.push_back("Unable to read pod " + pod.uuid().str() + " manifest:\n  " +
                          read.error().message);
        return;
      }
      apps = std::move(*read);
    }
    std::string uuid = pod.uuid().str();
    std::string stateText(pod::stateName(state));
    std::string nets;
    if (state == pod::State::Running || pod::isAfterRun(state)) {
      if (Result<std::vector<pod::NetInfo>> n = pod::readNetworks(pod); n) {
        nets = pod::formatNetworks(*n);
      } else {
        errors_.push_back(n.error().message);
      }
    }
    std::string created;
    if (Result<std::optional<pod::TimePoint>> t = pod::creationTime(pod); !t) {
      errors_.push_back("unable to get creation time for pod \"" + uuid +
                        "\": " + t.error().message);
    } else if (*t) {
      created = formatTime(**t);
    }
    if (created.empty())
      created = full_ ? kGoZeroTime : "a long while ago";  // Go's zero time, as rkt prints it
    std::string started;
    if (Result<std::optional<pod::TimePoint>> t = pod::startTime(pod); !t) {
      errors_.push_back("unable to get start time for pod \"" + uuid + "\": " + t.error().message);
    } else if (*t) {
      started = formatTime(**t);
    }
    if (!full_)
      uuid = uuid.substr(0, 8);

    auto addRow = [&](const std::string& app, const std::string& image, const std::string& id) {
      if (full_) {
        rows_.push_back({uuid, app, image, id, stateText, created, started, nets});
      } else {
        rows_.push_back({uuid, app, image, stateText, created, started, nets});
      }
    };
    if (apps.empty())
      addRow("-", "-", "-");
    for (const pod::ManifestApp& app : apps) {
      Result<std::string> image = pod::appImageName(pod, app.name);
      if (!image) {
        errors_.push_back("pod " + pod.uuid().str() +
                          " ImageManifest could not be loaded: " + image.error().message);
      }
      addRow(app.name, image ? *image : "--", full_ ? app.imageId.substr(0, 19) : "");
      // Pod columns only on the first app's line.
      uuid.clear();
      stateText.clear();
      nets.clear();
      created.clear();
      started.clear();
    }
  }

  // rkt's printErrors: every line through the command's stderr logger.
  void printErrors(const Invocation& inv) const {
    const std::string sep = "----------------------------------------";
    inv.error(std::to_string(errors_.size()) + " error(s) encountered when listing pods:");
    inv.error(sep);
    for (const std::string& e : errors_) {
      // rkt's multi-line entries ("…manifest:\n  <error>") keep their line break.
      const std::size_t newline = e.find('\n');
      inv.error(e.substr(0, newline));
      if (newline != std::string::npos)
        inv.err << oneLine(e.substr(newline + 1)) << '\n';
      inv.error(sep);
    }
    inv.error("misc:");
    inv.error(std::string("  rkt's appc version: ") + RKT_APPC_VERSION);
    inv.error("");
  }

  bool noLegend_ = false;
  bool full_ = false;
  std::string format_;
  std::chrono::system_clock::time_point now_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> objects_;
  std::vector<std::string> errors_;
};

}  // namespace

extern const CommandSpec kListCommand =
    CommandSpec("list", "List pods")
        .runs<ListCommand>()
        .withUsage("[--full] [--no-legend] [--format=json|json-pretty]")
        .withDescription("Displays a table of information about the pods.")
        .completes(ArgCompletion::kNothing);

}  // namespace rkt::cli
