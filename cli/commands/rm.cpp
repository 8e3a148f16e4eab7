// `rkt rm (--uuid-file=FILE | UUID...)` (rkt-notes §1.13): removes pods that are not running
// (prepared, aborted, exited) at once, the way `rkt gc` sweeps them.
#include <cerrno>
#include <ostream>
#include <string>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/core/pod/gc.hpp"

namespace rkt::cli {
namespace {

class RmCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--uuid-file", uuidFile_, "read pod UUID from file instead of argument")
        ->type_name(kFileType);
  }

  int run(Invocation& inv) override {
    UuidArgList uuids = collectUuidArgs(inv.args, uuidFile_, false);
    if (uuids.outcome == UuidArgs::Usage)
      return inv.usageError();
    bool failed = false;
    if (uuids.outcome == UuidArgs::UnreadableFile) {
      inv.error("unable to resolve UUID from file: " + uuids.fileError.message);
      failed = true;
    }
    std::optional<Engine> engine;
    if (!uuids.uuids.empty() && !(engine = openEngine(inv)))
      return kExitFailure;

    for (const std::string& arg : uuids.uuids) {
      Result<pod::Pod> pod = pod::openPod(engine->podDirs(), arg);
      if (!pod) {
        failed = true;
        inv.error("cannot get pod: " + pod.error().message);
        continue;
      }
      if (remove(inv, *engine, *pod)) {
        inv.out << quotedUuid(pod->uuid()) << '\n';
        inv.out.flush();
      } else {
        failed = true;
      }
    }
    if (failed) {
      inv.error("failed to remove one or more pods");
      return kExitFailure;
    }
    return kExitOk;
  }

 private:
  bool remove(const Invocation& inv, Engine& engine, pod::Pod& pod) const {
    if (pod.state() == pod::State::AbortedPrepare)
      inv.error("moving failed prepare " + quotedUuid(pod.uuid()) + " to garbage");
    if (pod.state() == pod::State::Prepared)
      inv.error("moving expired prepared pod " + quotedUuid(pod.uuid()) + " to garbage");
    if (Status s = pod::markForRemoval(pod); !s) {
      if (s.error().sysErrno == EBUSY) {
        inv.error(s.error().message);  // running, being prepared, being deleted
        return false;
      }
      if (s.error().sysErrno != ENOENT) {
        inv.error("rename error: " + s.error().message);
        return false;
      }
      // Lost a race: someone else moved it; take it from where it is now.
      if (Status r = pod.refresh(); !r || pod.state() == pod::State::Gone) {
        inv.error("cannot get pod: pod " + quotedUuid(pod.uuid()) + " is gone");
        return false;
      }
    }
    // Waits for a concurrent `rkt status` or `rkt gc` holding the pod, as rkt does.
    if (Status s = pod.lockExclusive(); !s) {
      inv.error("unable to acquire exclusive lock: " + s.error().message);
      return false;
    }
    if (Status s = pod.refresh(); !s || pod.state() == pod::State::Gone) {
      inv.error("cannot get pod: pod " + quotedUuid(pod.uuid()) + " is gone");
      return false;
    }
    if (Status s = engine.removePod(pod); !s) {
      inv.error(s.error().message);
      return false;
    }
    return true;
  }

  std::string uuidFile_;
};

}  // namespace

extern const CommandSpec kRmCommand =
    CommandSpec("rm", "Remove all files and resources associated with an exited pod")
        .runs<RmCommand>()
        .withTraits(kNeedsRoot)
        .withUsage("--uuid-file=FILE | UUID ...")
        .withDescription("Unlike gc, rm allows users to remove specific pods.")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
