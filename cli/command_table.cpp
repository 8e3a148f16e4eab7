// The static command table, ninja kTools style: one line per top-level command, alphabetical.
// Each spec lives next to its implementation in cli/commands/<name>.cpp; subcommands are listed
// by their parent's spec (CommandSpec::withSubcommands). See docs/cli.md.
#include "command_table.hpp"

namespace rkt::cli {

// Specs are defined in cli/commands/<name>.cpp. No trailing comments here: aligned comments
// would make every added line touch its neighbours.
extern const CommandSpec kCatManifestCommand;
extern const CommandSpec kCompletionCommand;
extern const CommandSpec kConfigCommand;
extern const CommandSpec kEnterCommand;
extern const CommandSpec kExportCommand;
extern const CommandSpec kFetchCommand;
extern const CommandSpec kGcCommand;
extern const CommandSpec kHelpCommand;
extern const CommandSpec kImageCommand;
extern const CommandSpec kListCommand;
extern const CommandSpec kLogsCommand;
extern const CommandSpec kPluginsCommand;
extern const CommandSpec kPrepareCommand;
extern const CommandSpec kRmCommand;
extern const CommandSpec kRunCommand;
extern const CommandSpec kRunPreparedCommand;
extern const CommandSpec kStatusCommand;
extern const CommandSpec kStopCommand;
extern const CommandSpec kTrustCommand;
extern const CommandSpec kVersionCommand;

namespace {
const CommandSpec* const kCommands[] = {
    &kCatManifestCommand, &kCompletionCommand, &kConfigCommand,  &kEnterCommand, &kExportCommand,
    &kFetchCommand,       &kGcCommand,         &kHelpCommand,    &kImageCommand, &kListCommand,
    &kLogsCommand,        &kPluginsCommand,    &kPrepareCommand, &kRmCommand,    &kRunCommand,
    &kRunPreparedCommand, &kStatusCommand,     &kStopCommand,    &kTrustCommand, &kVersionCommand,
};
}  // namespace

CommandList rootCommands() {
  return kCommands;
}

}  // namespace rkt::cli
