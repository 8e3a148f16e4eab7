// Runs one rkt command line: finds the command, parses flags, handles help, calls the command.
//
// Behaviour (rkt-notes §1.1, §1.27):
//   - Global flags may appear before or after the command name (cobra persistent flags).
//   - Command names may be abbreviated to any unambiguous prefix (`rkt ver`).
//   - No command: "missing command" on stderr, the help on stdout, exit 2.
//   - Unknown/ambiguous command, unknown flag, bad flag value: "<cmd>: <message>" on stderr,
//     exit 254.
//   - `--help`/`-h` anywhere before "--" (before the first argument of a kRawArgs command) prints
//     that command's help on stdout, exit 0. A group without its own action (`rkt image`) does
//     the same.
#ifndef RKT_CLI_DISPATCH_HPP
#define RKT_CLI_DISPATCH_HPP

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "global_options.hpp"
#include "rkt/core/result.hpp"

namespace rkt::cli {

/// One level of the command tree made concrete: the command instance (if runnable) and a CLI11
/// App holding its flags, the global flags and -h/--help. Not movable (the App's callbacks point
/// into it); create with makeScope().
struct Scope {
  std::vector<const CommandSpec*> path;  ///< empty: rkt itself
  std::unique_ptr<Command> command;      ///< nullptr for rkt itself and pure groups
  CLI::App app;
  bool help = false;
  std::vector<std::string> positionals;  ///< filled by CLI11 unless the command is kRawArgs

  const CommandSpec* spec() const { return path.empty() ? nullptr : path.back(); }
};

/// Builds the Scope of the command at `path`, binding global flags to `globals`.
std::unique_ptr<Scope> makeScope(std::vector<const CommandSpec*> path, GlobalOptions& globals);

/// Resolves command names (prefixes allowed) to a path, e.g. {"im", "li"} -> image, list.
Result<std::vector<const CommandSpec*>> resolvePath(CommandList commands,
                                                    const std::vector<std::string>& names);

/// The help text of the command at `path` (empty: rkt itself).
std::string helpText(CommandList commands, const std::vector<const CommandSpec*>& path);

class Dispatcher {
 public:
  Dispatcher(CommandList commands, std::ostream& out, std::ostream& err);

  /// Runs the command line `args` (without argv[0]); returns the exit code.
  int run(const std::vector<std::string>& args);

  /// The global flags as parsed by the last run().
  const GlobalOptions& globals() const { return globals_; }

 private:
  int parseError(const std::vector<const CommandSpec*>& path, const std::string& message);

  CommandList commands_;
  std::ostream& out_;
  std::ostream& err_;
  GlobalOptions globals_;
};

/// The `rkt` program: the real command table on std::cout / std::cerr.
int runMain(int argc, char** argv);

}  // namespace rkt::cli

#endif  // RKT_CLI_DISPATCH_HPP
