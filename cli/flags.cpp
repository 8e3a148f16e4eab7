#include "flags.hpp"

namespace rkt::cli {

std::optional<bool> parseGoBool(std::string_view text) {
  for (const char* word : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == word)
      return true;
  }
  for (const char* word : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == word)
      return false;
  }
  return std::nullopt;
}

CLI::Option* addBoolFlag(CLI::App& app, const std::string& name, bool& target,
                         const std::string& description) {
  // A CLI11 option expecting zero values is "flag-like": `--name` yields "true" and `--name=x`
  // yields "x" without consuming the next argument, exactly pflag's bool behaviour.
  CLI::Option* option = app.add_option(
      name,
      [&target, name](const CLI::results_t& results) {
        const std::string& text = results.back();
        const std::optional<bool> value = parseGoBool(text);
        if (!value) {
          throw CLI::ConversionError("invalid argument \"" + text + "\" for \"" + name +
                                     "\" flag: not a boolean (use true or false)");
        }
        target = *value;
        return true;
      },
      description);
  option->expected(0);
  option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  option->default_str(target ? "true" : "false");
  option->type_name("BOOL");
  option->group(kLocalGroup);
  return option;
}

CLI::Option* addOptionalValueFlag(CLI::App& app, const std::string& name, std::string& target,
                                  const std::string& noOptValue, const std::string& description) {
  // CLI11's "--name{default}" flag syntax gives the NoOptDefVal behaviour; with a string target the
  // explicit `--name=VALUE` is stored verbatim.
  CLI::Option* option = app.add_flag(name + "{" + noOptValue + "}", target, description);
  option->default_str(target);
  option->type_name("VALUE");
  option->group(kLocalGroup);
  return option;
}

CLI::Option* addStringFlag(CLI::App& app, const std::string& name, std::string& target,
                           const std::string& description) {
  CLI::Option* option = app.add_option(name, target, description);
  option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  option->default_str(target);
  option->type_name("STRING");
  option->group(kLocalGroup);
  return option;
}

}  // namespace rkt::cli
