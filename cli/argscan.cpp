#include "argscan.hpp"

#include <CLI/CLI.hpp>

#include "flags.hpp"

namespace rkt::cli {

Token classifyToken(const CLI::App& app, const std::string& token) {
  Token t;
  if (token == "--") {
    t.kind = Token::Kind::kEndOfFlags;
    return t;
  }
  // "-" is stdin-style positional; "---" is the end marker of rkt's app-argument grammar.
  if (token.size() < 2 || token[0] != '-' || token.rfind("---", 0) == 0)
    return t;
  t.kind = Token::Kind::kFlag;
  if (token[1] == '-') {
    const std::size_t eq = token.find('=');
    t.name = token.substr(0, eq);
    if (eq != std::string::npos)
      t.value = token.substr(eq + 1);
  } else {
    t.name = token.substr(0, 2);
    if (token.size() > 2)
      t.value = token.substr(2);
  }
  t.option = app.get_option_no_throw(t.name);
  if (t.option != nullptr && !isFlagLike(*t.option) && !t.value)
    t.valueTokens = 1;
  return t;
}

FlagScan scanFlags(const CLI::App& app, const std::vector<std::string>& args,
                   bool stopAtPositional) {
  FlagScan scan;
  std::size_t i = 0;
  while (i < args.size()) {
    const Token t = classifyToken(app, args[i]);
    if (t.kind == Token::Kind::kEndOfFlags)
      break;
    if (t.kind == Token::Kind::kPositional) {
      if (stopAtPositional)
        break;
      ++i;
      continue;
    }
    if (t.option == nullptr) {
      if (!scan.error) {
        scan.error = t.name.size() == 2 && t.name[1] != '-'
                         ? "unknown shorthand flag: '" + t.name.substr(1) + "' in " + args[i]
                         : "unknown flag: " + t.name;
      }
    } else if (t.valueTokens > 0 && i + 1 >= args.size()) {
      if (!scan.error)
        scan.error = "flag needs an argument: " + t.name;
    } else if (isFlagLike(*t.option) && t.value && t.value->empty()) {
      // CLI11 would read "--debug=" as true; pflag rejects the empty value.
      if (!scan.error) {
        scan.error = "invalid argument \"\" for \"" + t.name + "\" flag: empty value";
      }
    }
    i += 1 + t.valueTokens;
  }
  scan.flagsEnd = stopAtPositional ? std::min(i, args.size()) : args.size();
  return scan;
}

std::vector<std::string> normalizeForCli11(const CLI::App& app,
                                           const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool flags = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Token t = flags ? classifyToken(app, args[i]) : Token{};
    if (t.kind == Token::Kind::kEndOfFlags)
      flags = false;
    if (t.kind == Token::Kind::kFlag && t.option != nullptr && !isFlagLike(*t.option) && t.value &&
        t.value->empty() && t.name.rfind("--", 0) == 0) {
      out.push_back(t.name);
      out.emplace_back();
      continue;
    }
    out.push_back(args[i]);
    // A value in the next token is copied verbatim, even when it looks like a flag.
    if (t.valueTokens > 0 && i + 1 < args.size())
      out.push_back(args[++i]);
  }
  return out;
}

}  // namespace rkt::cli
