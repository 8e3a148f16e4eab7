// Generates rkt's bash completion script from the command table (`rkt completion bash`).
#ifndef RKT_CLI_BASH_COMPLETION_HPP
#define RKT_CLI_BASH_COMPLETION_HPP

#include <string>

#include "command.hpp"

namespace rkt::cli {

/// A self-contained bash script defining `_rkt` and registering it for `rkt`. It completes
/// command and subcommand names, every command's visible flags (global ones included), flag
/// values (directories for directory flags, fixed words where a flag has them, e.g.
/// --insecure-options), and positional arguments per CommandSpec::argCompletion (image IDs and
/// pod UUIDs are asked from `rkt image list` / `rkt list` at completion time).
std::string bashCompletionScript(CommandList commands);

}  // namespace rkt::cli

#endif  // RKT_CLI_BASH_COMPLETION_HPP
