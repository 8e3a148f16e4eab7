// Manual pages generated from the command table (installed by packaging/man), so that they say
// what `rkt help` says and never drift from the binary: a new command or flag gets its page and
// its OPTIONS entry without anyone writing roff.
#ifndef RKT_CLI_MAN_PAGE_HPP
#define RKT_CLI_MAN_PAGE_HPP

#include <string>
#include <vector>

#include "command.hpp"

namespace rkt::cli {

struct ManPage {
  std::string fileName;  ///< "rkt.1", "rkt-image-list.1"
  std::string text;      ///< the page in roff (man(7) macros)
};

/// rkt(1) and one section-1 page per visible (not hidden, enabled) command and subcommand, named
/// like git's: `rkt image list` is rkt-image-list(1). Each page has NAME (the summary), SYNOPSIS
/// (the usage), DESCRIPTION, COMMANDS (for groups), OPTIONS (the command's visible flags as help
/// shows them, --name=DEFAULT or --name[=DEFAULT]) and SEE ALSO; rkt(1) lists the global options,
/// the files and the environment rkt reads. No date: the same table gives the same bytes.
std::vector<ManPage> manPages(CommandList commands);

}  // namespace rkt::cli

#endif  // RKT_CLI_MAN_PAGE_HPP
