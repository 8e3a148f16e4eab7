// Finding commands by name: exact match, else an unambiguous prefix (cobra's
// EnablePrefixMatching, which rkt turns on), plus "did you mean" suggestions.
#ifndef RKT_CLI_LOOKUP_HPP
#define RKT_CLI_LOOKUP_HPP

#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"

namespace rkt::cli {

struct Lookup {
  enum class Kind { kFound, kAmbiguous, kUnknown };
  Kind kind = Kind::kUnknown;
  const CommandSpec* command = nullptr;  ///< set when kFound
  std::vector<std::string> candidates;   ///< the matching names when kAmbiguous, sorted
};

/// Looks `name` up among the enabled commands of `commands`: an exact name wins, else the single
/// command whose name starts with `name`. Hidden commands match too (cobra does the same).
Lookup findCommand(CommandList commands, std::string_view name);

/// Names of visible (not hidden, enabled) commands close to `typed`: a Levenshtein distance of at
/// most 2, or a name starting with it (case-insensitive), sorted by distance then name.
std::vector<std::string> suggestCommands(CommandList commands, std::string_view typed);

/// The enabled, not hidden commands of `commands`, sorted by name: what help and completion show.
std::vector<const CommandSpec*> visibleCommands(CommandList commands);

/// Levenshtein edit distance (exposed for tests).
std::size_t editDistance(std::string_view a, std::string_view b);

}  // namespace rkt::cli

#endif  // RKT_CLI_LOOKUP_HPP
