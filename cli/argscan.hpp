// Classifying command-line tokens the way pflag does, against the flags a CLI11 App declares.
// The dispatcher uses it to find the command name among flags (global flags may precede it), to
// report unknown flags with pflag's wording, and to split a kRawArgs command's leading flags from
// its verbatim arguments.
#ifndef RKT_CLI_ARGSCAN_HPP
#define RKT_CLI_ARGSCAN_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace rkt::cli {

struct Token {
  enum class Kind {
    kPositional,  ///< not a flag: "x", "-", "---…"
    kEndOfFlags,  ///< "--"
    kFlag,        ///< "--name", "--name=value", "-x", "-xvalue"
  };
  Kind kind = Kind::kPositional;
  std::string name;                     ///< with dashes: "--dir", "-h" (kFlag only)
  std::optional<std::string> value;     ///< inline value ("--dir=x", "-dx")
  const CLI::Option* option = nullptr;  ///< nullptr: `app` has no such flag
  std::size_t valueTokens = 0;          ///< following tokens the flag consumes (0 or 1)
};

Token classifyToken(const CLI::App& app, const std::string& token);

struct FlagScan {
  /// Index of the first token that is not a flag or a flag's value (raw mode), else the size.
  std::size_t flagsEnd = 0;
  /// The first problem, in pflag's words ("unknown flag: --x", "flag needs an argument: --dir").
  std::optional<std::string> error;
};

/// The tokens to hand to CLI11 for `args`: like `args`, except that an empty inline value of a
/// value flag ("--user-config=") becomes a separate empty argument, which CLI11 reads as the empty
/// string (it would otherwise take the next token as the value).
std::vector<std::string> normalizeForCli11(const CLI::App& app,
                                           const std::vector<std::string>& args);

/// Checks every flag of `args` against `app` up to "--". With stopAtPositional (interspersed
/// parsing off), stops at the first positional token or "--" and reports where in flagsEnd.
FlagScan scanFlags(const CLI::App& app, const std::vector<std::string>& args,
                   bool stopAtPositional);

}  // namespace rkt::cli

#endif  // RKT_CLI_ARGSCAN_HPP
