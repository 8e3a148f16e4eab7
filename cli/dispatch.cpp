#include "dispatch.hpp"

#include <unistd.h>

#include <algorithm>
#include <exception>
#include <iostream>

#include "argscan.hpp"
#include "command_table.hpp"
#include "flags.hpp"
#include "help.hpp"
#include "lookup.hpp"

namespace rkt::cli {
namespace {

std::string logPrefixFor(const std::vector<const CommandSpec*>& path) {
  return path.empty() ? kRootName : path.front()->name;
}

// What a running command's lines start with: its own name, as rkt's cobra hook names the
// logger (`rm: …` for `rkt image rm`).
std::string runPrefixFor(const std::vector<const CommandSpec*>& path) {
  return path.empty() ? kRootName : path.back()->name;
}

std::string unknownCommandMessage(CommandList level, const std::vector<const CommandSpec*>& path,
                                  const std::string& name, const Lookup& lookup) {
  const std::string parent = commandPath(path);
  if (lookup.kind == Lookup::Kind::kAmbiguous) {
    std::string message = "ambiguous command `" + name + "` for `" + parent + "`, could be:";
    for (const std::string& c : lookup.candidates)
      message += " " + c;
    return message;
  }
  std::string message = "unknown command `" + name + "` for `" + parent + "`";
  const std::vector<std::string> suggestions = suggestCommands(level, name);
  if (!suggestions.empty()) {
    message += "\n\nDid you mean this?";
    for (const std::string& s : suggestions)
      message += "\n\t" + s;
    message += '\n';
  }
  return message;
}

}  // namespace

std::unique_ptr<Scope> makeScope(std::vector<const CommandSpec*> path, GlobalOptions& globals) {
  auto scope = std::make_unique<Scope>();
  scope->path = std::move(path);
  CLI::App& app = scope->app;
  app.set_help_flag();  // rkt's help layout is ours, see --help below
  // pflag semantics: the last occurrence of a flag wins.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  const CommandSpec* spec = scope->spec();
  addBoolFlag(app, "-h,--help", scope->help,
              std::string("help for ") + (spec == nullptr ? kRootName : spec->name));
  addGlobalFlags(app, globals);
  if (spec != nullptr && spec->runnable()) {
    scope->command = spec->create();
    scope->command->addFlags(app);
  }
  // Positionals are collected even where no command takes them (rkt itself, groups), so that
  // `rkt -- x` reports an unknown command rather than a CLI11 message.
  if (spec == nullptr || !spec->has(kRawArgs)) {
    app.add_option("args", scope->positionals)->group("");
  }
  return scope;
}

Result<std::vector<const CommandSpec*>> resolvePath(CommandList commands,
                                                    const std::vector<std::string>& names) {
  std::vector<const CommandSpec*> path;
  CommandList level = commands;
  for (const std::string& name : names) {
    const Lookup lookup = findCommand(level, name);
    if (lookup.kind != Lookup::Kind::kFound) {
      return Error{unknownCommandMessage(level, path, name, lookup)};
    }
    path.push_back(lookup.command);
    level = lookup.command->subcommands;
  }
  return path;
}

std::string helpText(CommandList commands, const std::vector<const CommandSpec*>& path) {
  GlobalOptions unused;
  const std::unique_ptr<Scope> scope = makeScope(path, unused);
  return renderHelp(path, scope->app, commands);
}

Dispatcher::Dispatcher(CommandList commands, std::ostream& out, std::ostream& err)
    : commands_(commands), out_(out), err_(err) {}

int Dispatcher::parseError(const std::vector<const CommandSpec*>& path,
                           const std::string& message) {
  err_ << logPrefixFor(path) << ": " << message << '\n'
       << "Run '" << commandPath(path) << " --help' for usage.\n";
  return kExitFailure;
}

int Dispatcher::run(const std::vector<std::string>& args) {
  globals_ = GlobalOptions{};

  // 1. Find the command: the non-flag tokens naming a path through the command tree. Flags may be
  //    interleaved; each level's flags tell which of them consume the next token.
  std::vector<const CommandSpec*> path;
  std::unique_ptr<Scope> scope = makeScope(path, globals_);
  std::vector<bool> isCommandToken(args.size(), false);
  for (std::size_t i = 0; i < args.size();) {
    const Token token = classifyToken(scope->app, args[i]);
    if (token.kind == Token::Kind::kEndOfFlags)
      break;
    if (token.kind == Token::Kind::kFlag) {
      i += 1 + token.valueTokens;
      continue;
    }
    const CommandSpec* node = scope->spec();
    const CommandList level = node == nullptr ? commands_ : node->subcommands;
    if (level.empty())
      break;  // a leaf: this token is its first argument
    const Lookup lookup = findCommand(level, args[i]);
    if (lookup.kind != Lookup::Kind::kFound) {
      if (node != nullptr && node->runnable())
        break;  // a group that also takes arguments
      return parseError(path, unknownCommandMessage(level, path, args[i], lookup));
    }
    path.push_back(lookup.command);
    isCommandToken[i] = true;
    scope = makeScope(path, globals_);
    ++i;
  }
  const CommandSpec* spec = scope->spec();

  // 2. Parse flags with CLI11. pflag-style errors are found first by our own scan.
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!isCommandToken[i])
      rest.push_back(args[i]);
  }
  const bool raw = spec != nullptr && spec->has(kRawArgs);
  const FlagScan scan = scanFlags(scope->app, rest, raw);
  if (scan.error)
    return parseError(path, *scan.error);
  std::vector<std::string> toParse = normalizeForCli11(
      scope->app, std::vector<std::string>(rest.begin(), rest.begin() + scan.flagsEnd));
  std::reverse(toParse.begin(), toParse.end());  // CLI11 consumes from the back
  try {
    scope->app.parse(toParse);
  } catch (const CLI::ParseError& e) {
    return parseError(path, e.what());
  }

  // 3. Help, missing command, groups.
  if (scope->help) {
    out_ << renderHelp(path, scope->app, commands_);
    return kExitOk;
  }
  if ((spec == nullptr || !spec->runnable()) && !scope->positionals.empty()) {
    // Only reachable after "--": names before it were looked up as commands above.
    const CommandList level = spec == nullptr ? commands_ : spec->subcommands;
    const std::string& name = scope->positionals.front();
    return parseError(path, unknownCommandMessage(level, path, name, findCommand(level, name)));
  }
  if (spec == nullptr) {
    err_ << "missing command\n";
    out_ << renderHelp(path, scope->app, commands_);
    return kExitMissingCommand;
  }
  if (!spec->runnable()) {
    out_ << renderHelp(path, scope->app, commands_);
    return kExitOk;
  }

  // 4. Run.
  Invocation inv{*spec,
                 commands_,
                 commandPath(path).substr(std::string_view(kRootName).size() + 1),
                 globals_,
                 raw ? std::vector<std::string>(rest.begin() + scan.flagsEnd, rest.end())
                     : std::move(scope->positionals),
                 out_,
                 err_,
                 runPrefixFor(path),
                 renderHelp(path, scope->app, commands_)};
  if (spec->has(kNeedsRoot) && ::geteuid() != 0) {
    return inv.fail("cannot run as unprivileged user");
  }
  try {
    return scope->command->run(inv);
  } catch (const std::exception& e) {
    // Commands report expected failures as values; this is the last line against a crash.
    return inv.fail(e.what());
  }
}

int runMain(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  Dispatcher dispatcher(rootCommands(), std::cout, std::cerr);
  const int code = dispatcher.run(args);
  std::cout.flush();
  return code;
}

}  // namespace rkt::cli
