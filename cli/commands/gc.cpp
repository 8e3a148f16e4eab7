// `rkt gc [--grace-period=30m0s] [--expire-prepared=24h0m0s] [--mark-only]` (rkt-notes §1.14):
// rkt's mark-and-sweep over the pod tree (pod::runGc), with the stage1's gc op and rkt's
// messages for every step.
#include <ostream>
#include <string>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/core/pod/gc.hpp"
#include "rkt/core/util/duration.hpp"

namespace rkt::cli {
namespace {

class Observer : public pod::GcObserver {
 public:
  Observer(const Invocation& inv, Engine& engine, std::chrono::nanoseconds grace)
      : inv_(inv), engine_(engine), grace_(grace) {}

  void markedExited(const pod::Uuid& uuid) override {
    inv_.error("moving pod " + quotedUuid(uuid) + " to garbage");
  }
  void markedAbortedPrepare(const pod::Uuid& uuid) override {
    inv_.error("moving failed prepare " + quotedUuid(uuid) + " to garbage");
  }
  void expiredPrepared(const pod::Uuid& uuid) override {
    inv_.error("moving expired prepared pod " + quotedUuid(uuid) + " to garbage");
  }
  void withinGracePeriod(const pod::Uuid& uuid) override {
    inv_.error("pod " + quotedUuid(uuid) + " not removed: still within grace period (" +
               util::formatGoDuration(grace_) + ")");
  }
  // The pod is locked; runGc deletes it (pod::deletePod) after this.
  Status collecting(pod::Pod& pod) override {
    inv_.out << "Garbage collecting pod " << quotedUuid(pod.uuid()) << '\n';
    inv_.out.flush();
    engine_.releaseStage1(pod);
    return {};
  }
  // The pod library's messages name the pod ("cannot delete pod `<uuid>`: ...").
  void podError(const pod::Uuid&, const Error& e) override {
    inv_.error(e.message);
    failed_ = true;
  }
  bool failed() const { return failed_; }

 private:
  bool failed_ = false;
  const Invocation& inv_;
  Engine& engine_;
  std::chrono::nanoseconds grace_;
};

class GcCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--grace-period", gracePeriod_,
                  "duration to wait before discarding inactive pods from garbage");
    addStringFlag(app, "--expire-prepared", expirePrepared_,
                  "duration to wait before expiring prepared pods");
    addBoolFlag(app, "--mark-only", markOnly_,
                "if set to true, then the exited/aborted pods will be moved to the garbage "
                "directories without actually deleting them, this is useful for marking the "
                "exit time of a pod");
  }

  int run(Invocation& inv) override {
    if (!inv.args.empty())
      return inv.usageError("gc takes no arguments");
    pod::GcOptions options;
    options.markOnly = markOnly_;
    for (auto [flag, text, target] :
         {std::tuple{"--grace-period", &gracePeriod_, &options.gracePeriod},
          std::tuple{"--expire-prepared", &expirePrepared_, &options.expirePrepared}}) {
      Result<std::chrono::nanoseconds> d = util::parseGoDuration(*text);
      if (!d) {
        return inv.usageError("invalid argument \"" + *text + "\" for \"" + flag +
                              "\" flag: " + d.error().message);
      }
      *target = *d;
    }
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Observer observer(inv, *engine, options.gracePeriod);
    options.now = std::chrono::system_clock::now();
    if (Status s = pod::runGc(engine->podDirs(), options, observer); !s)
      return inv.fail(s.error().wrap("failed to collect garbage"));
    // rkt exited 0 here: a pod that cannot be deleted would then go unnoticed forever.
    if (observer.failed()) {
      inv.error("failed to collect one or more pods");
      return kExitFailure;
    }
    return kExitOk;
  }

 private:
  std::string gracePeriod_ = "30m0s";
  std::string expirePrepared_ = "24h0m0s";
  bool markOnly_ = false;
};

}  // namespace

extern const CommandSpec kGcCommand =
    CommandSpec("gc", "Garbage collect rkt pods no longer in use")
        .runs<GcCommand>()
        .withTraits(kNeedsRoot)
        .withUsage("[--grace-period=duration] [--expire-prepared=duration]")
        .withDescription(
            "This is intended to be run periodically from a timer or cron job.\n"
            "\n"
            "Garbage collection is a 2-step process. First, stopped pods are moved to the\n"
            "garbage by one invocation of the gc command. A subsequent invocation will clean\n"
            "up the pod, assuming the pod has been in the garbage for more time than the\n"
            "specified grace period.\n"
            "\n"
            "Use --grace-period=0s to effectively disable the grace-period.")
        .completes(ArgCompletion::kNothing);

}  // namespace rkt::cli
