// The command interface of the `rkt` binary.
//
// Adding a command = one file + one table line:
//
//   1. cli/commands/<name>.cpp defines a class deriving from Command (its flags are members,
//      declared in addFlags(); its work is run()) and a CommandSpec describing it:
//
//        namespace rkt::cli {
//        namespace {
//        class GcCommand : public Command {
//         public:
//          void addFlags(CLI::App& app) override {
//            addStringFlag(app, "--grace-period", gracePeriod_, "duration to wait before ...");
//          }
//          int run(Invocation& inv) override { ...; return kExitOk; }
//         private:
//          std::string gracePeriod_ = "30m0s";
//        };
//        }  // namespace
//        extern const CommandSpec kGcCommand =
//            CommandSpec("gc", "Garbage collect rkt pods no longer in use")
//                .runs<GcCommand>()
//                .withTraits(kNeedsRoot)
//                .withDescription("...");
//        }  // namespace rkt::cli
//
//   2. cli/command_table.cpp: declare `extern const CommandSpec kGcCommand;` and add `&kGcCommand`
//      to kCommands[] (keep both alphabetical). A subcommand (`image list`) goes into its parent's
//      list instead (see CommandSpec::withSubcommands).
//
// The framework (dispatch.hpp) finds the command by (unambiguous prefix of) name, parses its flags
// and rkt's global flags with CLI11, handles --help, and calls run() with an Invocation.
#ifndef RKT_CLI_COMMAND_HPP
#define RKT_CLI_COMMAND_HPP

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "rkt/core/result.hpp"

namespace CLI {
class App;
}

namespace rkt::cli {

struct GlobalOptions;
struct Invocation;
struct CommandSpec;
class Command;

/// Exit codes (rkt-notes §1.27).
inline constexpr int kExitOk = 0;
inline constexpr int kExitMissingCommand = 2;  ///< `rkt` without a command
inline constexpr int kExitFailure = 254;       ///< rkt's generic failure, also for bad flags

/// A runnable command. A fresh instance is created for each invocation, so flag values can live
/// in plain members bound in addFlags().
class Command {
 public:
  virtual ~Command() = default;
  /// Declares the command's own flags on `app` (see flags.hpp for rkt-style bool and
  /// optional-value flags). Bound variables must outlive the call to run(): use members.
  /// Options in the CLI11 group "" are hidden from help and completion.
  virtual void addFlags(CLI::App& app) {}
  /// Does the work. Returns the process exit code (kExitOk, kExitFailure, ...).
  virtual int run(Invocation& inv) = 0;
};

/// Creates a command instance; CommandSpec::runs<T>() stores a pointer to makeCommand<T>.
template <class T>
std::unique_ptr<Command> makeCommand() {
  return std::make_unique<T>();
}

/// Command traits (bit mask).
enum CommandTrait : unsigned {
  kNoTraits = 0,
  /// Not listed in help, completion or "did you mean"; still runs when named (by prefix too, as
  /// cobra does).
  kHidden = 1u << 0,
  /// The command parses its own arguments: only the flags before the first non-flag argument are
  /// parsed by the framework (interspersed parsing off); everything from there on is passed
  /// verbatim in Invocation::args. For run/prepare/fetch, whose per-app flags follow each image.
  kRawArgs = 1u << 1,
  /// Refuses to run unless euid is 0: "cannot run as unprivileged user", exit 254 (rkt's
  /// ensureSuperuser).
  kNeedsRoot = 1u << 2,
};

/// What bash completion offers for a command's positional arguments.
enum class ArgCompletion {
  kFiles,     ///< file names (the default)
  kNothing,   ///< nothing
  kImages,    ///< image IDs from `rkt image list`
  kPods,      ///< pod UUIDs from `rkt list`
  kCommands,  ///< command names (for `help`)
  kWords,     ///< the fixed words of CommandSpec::completionWords
};

/// A constant list of commands. Tables are constant-initialized, so lists in different files may
/// refer to each other without static-initialization-order problems.
struct CommandList {
  const CommandSpec* const* items = nullptr;
  std::size_t size = 0;

  constexpr CommandList() = default;
  template <std::size_t N>
  constexpr CommandList(const CommandSpec* const (&array)[N])  // NOLINT: implicit by design
      : items(array), size(N) {}

  const CommandSpec* const* begin() const { return items; }
  const CommandSpec* const* end() const { return items + size; }
  bool empty() const { return size == 0; }
};

/// The static description of a command: everything help, completion and dispatch need without
/// creating the command. A literal type: define instances as `extern const CommandSpec kX = ...;`.
struct CommandSpec {
  const char* name;
  /// One line, lowercase-initial as rkt's ("Print the version and exit").
  const char* summary;
  /// Arguments after the command path in the USAGE line, cobra's `Use` minus the name
  /// (e.g. "[--format=json] UUID"). Empty: the USAGE line is just the command path.
  const char* usage = "";
  /// DESCRIPTION paragraph(s); empty for none.
  const char* description = "";
  unsigned traits = kNoTraits;
  /// nullptr for a pure group (e.g. `image`), which prints its help when run.
  std::unique_ptr<Command> (*create)() = nullptr;
  CommandList subcommands{};
  /// Environment variable gating the command, as rkt's experiments (RKT_EXPERIMENT_APP): the
  /// command exists only when it is set to a true value (Go ParseBool). nullptr: always.
  const char* experiment = nullptr;
  ArgCompletion argCompletion = ArgCompletion::kFiles;
  /// Space-separated words for ArgCompletion::kWords.
  const char* completionWords = "";

  constexpr CommandSpec(const char* commandName, const char* oneLineSummary)
      : name(commandName), summary(oneLineSummary) {}

  template <class T>
  constexpr CommandSpec runs() const {
    CommandSpec c = *this;
    c.create = &makeCommand<T>;
    return c;
  }
  constexpr CommandSpec withUsage(const char* u) const {
    CommandSpec c = *this;
    c.usage = u;
    return c;
  }
  constexpr CommandSpec withDescription(const char* d) const {
    CommandSpec c = *this;
    c.description = d;
    return c;
  }
  constexpr CommandSpec withTraits(unsigned t) const {
    CommandSpec c = *this;
    c.traits = t;
    return c;
  }
  constexpr CommandSpec withSubcommands(CommandList l) const {
    CommandSpec c = *this;
    c.subcommands = l;
    return c;
  }
  constexpr CommandSpec withExperiment(const char* envVar) const {
    CommandSpec c = *this;
    c.experiment = envVar;
    return c;
  }
  constexpr CommandSpec completes(ArgCompletion what, const char* words = "") const {
    CommandSpec c = *this;
    c.argCompletion = what;
    c.completionWords = words;
    return c;
  }

  bool has(CommandTrait t) const { return (traits & t) != 0; }
  bool runnable() const { return create != nullptr; }
  /// False when the command's experiment variable is not set to true.
  bool enabled() const;
};

/// Where a command sits and what it was given. Owned by the dispatcher for the duration of run().
struct Invocation {
  const CommandSpec& spec;
  /// The command table being dispatched (what `help` and `completion` describe).
  CommandList commands;
  /// The command path without "rkt", e.g. "image list".
  std::string path;
  /// Global flags, already parsed and validated.
  const GlobalOptions& global;
  /// Positional arguments (flags removed, "--" consumed). For a kRawArgs command: every argument
  /// from the first non-flag token on, verbatim (including "--", "---" and flags after an image).
  std::vector<std::string> args;
  /// Machine-readable output (stdout) and diagnostics (stderr).
  std::ostream& out;
  std::ostream& err;
  /// Prefix of error lines: the command's own name ("rm" for `image rm`), as rkt's loggers.
  std::string logPrefix;
  /// The help text of this command (rkt's layout), for usageError().
  std::string helpText;

  /// Prints "<logPrefix>: <message>" on stderr.
  void error(const std::string& message) const;
  /// Prints the error and returns kExitFailure, for `return inv.fail(result.error());`.
  int fail(const Error& error) const;
  int fail(const std::string& message) const;
  /// Prints "<logPrefix>: <message>" on stderr only when --debug is set.
  void debug(const std::string& message) const;
  /// Wrong arguments: prints the message (if any) and the command's help on stderr, returns
  /// kExitFailure (rkt prints the usage and exits 254).
  int usageError(const std::string& message = "") const;
};

}  // namespace rkt::cli

#endif  // RKT_CLI_COMMAND_HPP
