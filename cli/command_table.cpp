// The static command table, ninja kTools style: one line per top-level command, alphabetical.
// Each spec lives next to its implementation in cli/commands/<name>.cpp; subcommands are listed
// by their parent's spec (CommandSpec::withSubcommands). See docs/cli.md.
#include "command_table.hpp"

namespace rkt::cli {

extern const CommandSpec kConfigCommand;   // commands/config.cpp
extern const CommandSpec kHelpCommand;     // commands/help.cpp
extern const CommandSpec kPluginsCommand;  // commands/plugins.cpp
extern const CommandSpec kVersionCommand;  // commands/version.cpp

namespace {
const CommandSpec* const kCommands[] = {
    &kConfigCommand,
    &kHelpCommand,
    &kPluginsCommand,
    &kVersionCommand,
};
}  // namespace

CommandList rootCommands() {
  return kCommands;
}

}  // namespace rkt::cli
