// rkt-style (pflag-style) flags on top of CLI11.
//
// pflag semantics the helpers reproduce:
//   - bool flags: `--flag` means true, `--flag=BOOL` takes any Go strconv.ParseBool word
//     (1 t T TRUE true True 0 f F FALSE false False); `--flag false` does NOT consume `false`.
//   - optional-value flags (pflag NoOptDefVal): `--wait` means the no-option default,
//     `--wait=VALUE` gives VALUE; `--wait VALUE` does not consume VALUE.
//   - value flags: `--name VALUE` or `--name=VALUE`; the last occurrence wins.
// Help shows `--name=DEFAULT` for value flags and `--name[=DEFAULT]` for bool / optional-value
// flags, as rkt's help does. Put an option in the CLI11 group "" (hide()) to hide it.
#ifndef RKT_CLI_FLAGS_HPP
#define RKT_CLI_FLAGS_HPP

#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace rkt::cli {

/// CLI11 group of rkt's global flags (help lists them under GLOBAL OPTIONS).
inline constexpr const char* kGlobalGroup = "Global Options";
/// CLI11 group of a command's own flags.
inline constexpr const char* kLocalGroup = "Options";
/// CLI11 type names the bash completion understands for flag values.
inline constexpr const char* kDirType = "DIR";
inline constexpr const char* kFileType = "FILE";

/// Go strconv.ParseBool: nullopt for anything but its twelve words.
std::optional<bool> parseGoBool(std::string_view text);

/// `--name` / `--name=BOOL`. `target` keeps its value unless the flag is given; its initial value
/// is shown as the default. Bad words fail parsing with pflag's message.
CLI::Option* addBoolFlag(CLI::App& app, const std::string& name, bool& target,
                         const std::string& description);

/// pflag NoOptDefVal: `--name` sets `noOptValue`, `--name=VALUE` sets VALUE. The initial value of
/// `target` is the default shown in help. `noOptValue` must not be empty, "false", or contain
/// braces or commas (CLI11's flag-default syntax).
CLI::Option* addOptionalValueFlag(CLI::App& app, const std::string& name, std::string& target,
                                  const std::string& noOptValue, const std::string& description);

/// `--name VALUE` / `--name=VALUE` into a string; the initial value is the default shown in help.
CLI::Option* addStringFlag(CLI::App& app, const std::string& name, std::string& target,
                           const std::string& description);

/// CLI11 type-name prefix marking a flag whose values are fixed words (see completeWords).
inline constexpr const char* kWordsTypePrefix = "WORDS:";

/// Makes bash completion offer `words` (space-separated) for the option's value; a value may be a
/// comma-separated list of them (as --insecure-options). Does not validate: the flag's own
/// callback does. Returns `option`.
inline CLI::Option* completeWords(CLI::Option* option, const std::string& words) {
  return option->type_name(kWordsTypePrefix + words);
}

/// Hides an option from help and completion (rkt's hidden and deprecated flags).
inline CLI::Option* hide(CLI::Option* option) {
  return option->group("");
}

/// True for bool and optional-value flags: they never consume the next argument.
inline bool isFlagLike(const CLI::Option& option) {
  return option.get_expected_max() == 0;
}

}  // namespace rkt::cli

#endif  // RKT_CLI_FLAGS_HPP
