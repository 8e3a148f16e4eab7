// Help text in rkt's layout (rkt/help.go): NAME, USAGE, VERSION (root only), COMMANDS,
// DESCRIPTION, OPTIONS, GLOBAL OPTIONS. Hidden commands and flags are left out.
#ifndef RKT_CLI_HELP_HPP
#define RKT_CLI_HELP_HPP

#include <string>
#include <vector>

#include "command.hpp"

namespace rkt::cli {

/// rkt itself, the root of the command tree.
inline constexpr const char* kRootName = "rkt";
inline constexpr const char* kRootSummary = "rkt, the application container runner";
inline constexpr const char* kRootDescription =
    "A CLI for running app containers on Linux.\n"
    "\n"
    "To get the help on any specific command, run \"rkt help command\".";

/// "rkt" followed by the command names of `path`: "rkt image list".
std::string commandPath(const std::vector<const CommandSpec*>& path);

/// Help for the command at `path` (empty: rkt itself). `app` is that command's CLI11 App (its own
/// flags plus the global ones); `rootCommands` lists rkt's commands for the root's COMMANDS.
std::string renderHelp(const std::vector<const CommandSpec*>& path, const CLI::App& app,
                       CommandList rootCommands);

}  // namespace rkt::cli

#endif  // RKT_CLI_HELP_HPP
