// `rkt run-prepared [flags] UUID` (rkt-notes §1.9): runs a pod `rkt prepare` left in prepared/.
// Of several run-prepared racing for one pod exactly one runs it; the others fail.
#include "command.hpp"
#include "engine_support.hpp"
#include "pod_run_support.hpp"
#include "run_flags.hpp"

namespace rkt::cli {
namespace {

class RunPreparedCommand : public Command {
 public:
  void addFlags(CLI::App& app) override { addRunFlags(app, flags_, kForRunPrepared); }

  int run(Invocation& inv) override {
    if (inv.args.size() != 1)
      return inv.usageError();
    Result<stage0::DnsConfig> dns = stage0::parseDnsFlags(flags_.dns);
    if (!dns)
      return inv.fail(dns.error());
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<int> status = engine->runPrepared(inv.args[0], runOptions(flags_, *dns));
    if (!status)
      return inv.fail(status.error());
    return *status;
  }

 private:
  RunFlags flags_;
};

}  // namespace

extern const CommandSpec kRunPreparedCommand =
    CommandSpec("run-prepared", "Run a prepared application pod in rkt")
        .runs<RunPreparedCommand>()
        .withUsage("UUID")
        .withTraits(kNeedsRoot)
        .completes(ArgCompletion::kPods)
        .withDescription("UUID must have been acquired via `rkt prepare`");

}  // namespace rkt::cli
