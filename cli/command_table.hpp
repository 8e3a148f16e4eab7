// rkt's command table (cli/command_table.cpp).
#ifndef RKT_CLI_COMMAND_TABLE_HPP
#define RKT_CLI_COMMAND_TABLE_HPP

#include "command.hpp"

namespace rkt::cli {

/// The top-level commands of `rkt`.
CommandList rootCommands();

}  // namespace rkt::cli

#endif  // RKT_CLI_COMMAND_TABLE_HPP
