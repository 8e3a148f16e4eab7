// The static command table, ninja kTools style: one line per top-level command, alphabetical.
// Each spec lives next to its implementation in cli/commands/<name>.cpp; subcommands are listed
// by their parent's spec (CommandSpec::withSubcommands). See docs/cli.md.
#include "command_table.hpp"

namespace rkt::cli {

// Specs are defined in cli/commands/<name>.cpp. No trailing comments here: aligned comments
// would make every added line touch its neighbours.
extern const CommandSpec kCompletionCommand;
extern const CommandSpec kConfigCommand;
extern const CommandSpec kFetchCommand;
extern const CommandSpec kHelpCommand;
extern const CommandSpec kImageCommand;
extern const CommandSpec kPluginsCommand;
extern const CommandSpec kTrustCommand;
extern const CommandSpec kVersionCommand;

namespace {
const CommandSpec* const kCommands[] = {
    &kCompletionCommand,
    &kConfigCommand,
    &kFetchCommand,
    &kHelpCommand,
    &kImageCommand,
    &kPluginsCommand,
    &kTrustCommand,
    &kVersionCommand,
};
}  // namespace

CommandList rootCommands() {
  return kCommands;
}

}  // namespace rkt::cli
