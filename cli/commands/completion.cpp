// `rkt completion bash` (rkt-notes §1.22): the script is generated from the command table, so
// every command and flag added to the table completes without further work.
#include <ostream>

#include "bash_completion.hpp"
#include "command.hpp"

namespace rkt::cli {
namespace {

class CompletionCommand : public Command {
 public:
  int run(Invocation& inv) override {
    if (inv.args.empty())
      return inv.usageError("shell type is not specified");
    if (inv.args.size() > 1) {
      return inv.usageError("too many arguments, only shell type is expected");
    }
    if (inv.args[0] != "bash")
      return inv.fail("'" + inv.args[0] + "' shell is not supported");
    inv.out << bashCompletionScript(inv.commands);
    return kExitOk;
  }
};

}  // namespace

extern const CommandSpec kCompletionCommand =
    CommandSpec("completion", "Output shell completion code for the specified shell")
        .runs<CompletionCommand>()
        .withUsage("SHELL")
        .withDescription(
            "Output shell completion code for the specified shell. Only bash is supported.\n"
            "\n"
            "The generated code must be evaluated to provide interactive completion of rkt\n"
            "commands and flags, e.g. from .bash_profile:\n"
            "\n"
            "  source <(rkt completion bash)\n"
            "\n"
            "or saved once as /usr/share/bash-completion/completions/rkt.")
        .completes(ArgCompletion::kWords, "bash");

}  // namespace rkt::cli
