// `rkt help [command [subcommand]]`: the same text as `rkt <command> --help`.
#include <ostream>

#include "command.hpp"
#include "dispatch.hpp"

namespace rkt::cli {
namespace {

class HelpCommand : public Command {
 public:
  int run(Invocation& inv) override {
    Result<std::vector<const CommandSpec*>> path = resolvePath(inv.commands, inv.args);
    if (!path) {
      // cobra prints the root help after an unknown topic and still exits 0; rkt inherits that.
      std::string topic;
      for (const std::string& a : inv.args)
        topic += (topic.empty() ? "" : " ") + a;
      inv.error("unknown help topic `" + topic + "`");
      inv.out << helpText(inv.commands, {});
      return kExitOk;
    }
    inv.out << helpText(inv.commands, *path);
    return kExitOk;
  }
};

}  // namespace

extern const CommandSpec kHelpCommand =
    CommandSpec("help", "Help about any command")
        .runs<HelpCommand>()
        .withUsage("[command]")
        .withDescription(
            "Help provides help for any command in the application.\n"
            "Simply type rkt help [path to command] for full details.")
        .completes(ArgCompletion::kCommands);

}  // namespace rkt::cli
