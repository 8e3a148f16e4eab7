// `rkt run [flags] IMAGE [per-app flags] [-- ARGS [---]] [IMAGE …]` (rkt-notes §1.7): prepares a
// pod and becomes its stage1; the exit status is the pod's (fly: the app's own).
#include <ostream>

#include "command.hpp"
#include "engine_support.hpp"
#include "pod_run_support.hpp"
#include "run_flags.hpp"

namespace rkt::cli {
namespace {

class RunCommand : public Command {
 public:
  void addFlags(CLI::App& app) override { addRunFlags(app, flags_, kForRun); }

  int run(Invocation& original) override {
    GlobalOptions global = original.global;
    if (Status s = parseRunArgs(original, flags_, kForRun, global); !s)
      return original.fail(s.error());
    Invocation inv = withGlobals(original, global);
    if (std::optional<std::string> problem = checkRunFlags(flags_, inv, true))
      return inv.fail(*problem);
    Result<stage0::DnsConfig> dns = stage0::parseDnsFlags(flags_.dns);
    if (!dns)
      return inv.fail(dns.error());
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<int> status = engine->run(prepareOptions(flags_), runOptions(flags_, *dns));
    if (!status)
      return inv.fail(status.error());
    return *status;
  }

 private:
  RunFlags flags_;
};

}  // namespace

extern const CommandSpec kRunCommand =
    CommandSpec("run", "Run image(s) in a pod in rkt")
        .runs<RunCommand>()
        .withUsage(
            "[--volume=name,kind=host,...] [--mount volume=VOL,target=PATH] IMAGE "
            "[-- image-args...[---]]...")
        .withTraits(kRawArgs | kNeedsRoot)
        .withDescription(
            "IMAGE should be a string referencing an image; either a hash, local file on disk,\n"
            "or URL. They will be checked in that order and the first match will be used.\n"
            "\n"
            "An \"--\" may be used to inhibit rkt run's parsing of subsequent arguments, which\n"
            "will instead be appended to the preceding image app's exec arguments. End the\n"
            "image arguments with a lone \"---\" to resume argument parsing.\n"
            "\n"
            "Per-app flags (--exec, --user, --mount, ...) follow the image they apply to; a\n"
            "--mount before the first image applies to every app.");

}  // namespace rkt::cli
