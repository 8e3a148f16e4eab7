// `rkt prepare [flags] IMAGE [per-app flags] [-- ARGS [---]] …` (rkt-notes §1.8): prepares a pod
// and leaves it in prepared/, printing its UUID; `rkt run-prepared` runs it.
#include <unistd.h>

#include <ostream>

#include "command.hpp"
#include "pod_run_support.hpp"
#include "run_flags.hpp"

namespace rkt::cli {
namespace {

class PrepareCommand : public Command {
 public:
  void addFlags(CLI::App& app) override { addRunFlags(app, flags_, kForPrepare); }

  int run(Invocation& original) override {
    GlobalOptions global = original.global;
    if (Status s = parseRunArgs(original, flags_, kForPrepare, global); !s)
      return original.fail(s.error());
    Invocation inv = withGlobals(original, global);
    if (std::optional<std::string> problem = checkRunFlags(flags_, inv, false))
      return inv.fail(*problem);
    std::optional<RunContext> ctx = openRunContext(inv, flags_);
    if (!ctx)
      return kExitFailure;
    std::vector<stage0::PreparedApp> apps;
    Result<pod::Pod> pod = preparePod(inv, flags_, *ctx, apps, false);
    if (!pod)
      return inv.fail(pod.error());
    // rkt's Pod.Sync: the prepared pod's files are durable before it shows as prepared
    // (syncfs of the filesystem holding it, not a machine-wide sync).
    if (::syncfs(pod->dirFd()) != 0)
      return inv.fail(sysError("failed to sync pod " + pod->uuid().str() + " data"));
    if (Status s = pod->toPrepared(); !s)
      return inv.fail(s.error().wrap("error transitioning to prepared"));
    inv.out << pod->uuid().str() << '\n';
    return kExitOk;
  }

 private:
  RunFlags flags_;
};

}  // namespace

extern const CommandSpec kPrepareCommand =
    CommandSpec("prepare", "Prepare to run image(s) in a pod in rkt")
        .runs<PrepareCommand>()
        .withUsage(
            "[--volume=name,kind=host,...] [--mount volume=VOL,target=PATH] IMAGE "
            "[-- image-args...[---]]...")
        .withTraits(kRawArgs | kNeedsRoot)
        .withDescription(
            "IMAGE should be a string referencing an image; either a hash, local file on disk,\n"
            "or URL. They will be checked in that order and the first match will be used.\n"
            "\n"
            "An \"--\" may be used to inhibit rkt prepare's parsing of subsequent arguments,\n"
            "which will instead be appended to the preceding image app's exec arguments. End\n"
            "the image arguments with a lone \"---\" to resume argument parsing.\n"
            "\n"
            "Prints the UUID of the prepared pod; run it with `rkt run-prepared UUID`.");

}  // namespace rkt::cli
