// `rkt prepare [flags] IMAGE [per-app flags] [-- ARGS [---]] …` (rkt-notes §1.8): prepares a pod
// and leaves it in prepared/, printing its UUID; `rkt run-prepared` runs it.
#include <ostream>

#include "command.hpp"
#include "engine_support.hpp"
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
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<pod::Uuid> uuid = engine->prepare(prepareOptions(flags_));
    if (!uuid)
      return inv.fail(uuid.error());
    inv.out << uuid->str() << '\n';
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
