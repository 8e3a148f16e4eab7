#include "help.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

#include <CLI/CLI.hpp>

#include "flags.hpp"
#include "lookup.hpp"

namespace rkt::cli {
namespace {

// Indents every line of a (possibly multi-line) text with a tab, leaving blank lines empty.
void writeIndented(std::ostream& os, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty())
      os << '\t' << line;
    os << '\n';
  }
}

// pflag's flag column: "  -h, --help[=false]" / "      --dir=/var/lib/rkt".
std::string flagColumn(const CLI::Option& option) {
  std::string column;
  const auto& shorts = option.get_snames();
  column = shorts.empty() ? "      " : "  -" + shorts.front() + ", ";
  const auto& longs = option.get_lnames();
  column += longs.empty() ? std::string() : "--" + longs.front();
  if (isFlagLike(option)) {
    column += "[=" + option.get_default_str() + "]";
  } else {
    column += "=" + option.get_default_str();
  }
  return column;
}

void writeFlags(std::ostream& os, std::vector<const CLI::Option*> options) {
  // pflag lists flags sorted by long name.
  auto key = [](const CLI::Option* o) {
    return o->get_lnames().empty() ? o->get_name() : o->get_lnames().front();
  };
  std::sort(options.begin(), options.end(),
            [&key](const CLI::Option* a, const CLI::Option* b) { return key(a) < key(b); });
  std::vector<std::pair<std::string, std::string>> rows;
  std::size_t width = 0;
  for (const CLI::Option* o : options) {
    rows.emplace_back(flagColumn(*o), o->get_description());
    width = std::max(width, rows.back().first.size());
  }
  for (const auto& [column, description] : rows) {
    os << column << std::string(width - column.size() + 3, ' ') << description << '\n';
  }
}

}  // namespace

std::string commandPath(const std::vector<const CommandSpec*>& path) {
  std::string out = kRootName;
  for (const CommandSpec* c : path) {
    out += ' ';
    out += c->name;
  }
  return out;
}

std::string renderHelp(const std::vector<const CommandSpec*>& path, const CLI::App& app,
                       CommandList rootCommands) {
  const bool root = path.empty();
  const CommandSpec* spec = root ? nullptr : path.back();
  const CommandList children = root ? rootCommands : spec->subcommands;
  const std::vector<const CommandSpec*> visible = visibleCommands(children);
  const std::string name = commandPath(path);

  std::ostringstream os;
  os << "NAME:\n\t" << name << " - " << (root ? kRootSummary : spec->summary) << "\n\n";

  os << "USAGE:\n\t" << name;
  const std::string usage = root ? "[command]" : spec->usage;
  if (!usage.empty()) {
    os << ' ' << usage;
  } else if (!visible.empty() && !spec->runnable()) {
    os << " [command]";
  }
  os << "\n\n";

  if (root)
    os << "VERSION:\n\t" << RKT_VERSION_STRING << "\n\n";

  if (!visible.empty()) {
    std::size_t width = 0;
    for (const CommandSpec* c : visible)
      width = std::max(width, std::string_view(c->name).size());
    os << "COMMANDS:\n";
    for (const CommandSpec* c : visible) {
      const std::string_view n = c->name;
      os << '\t' << n << std::string(width - n.size() + 2, ' ') << c->summary << '\n';
    }
    os << '\n';
  }

  const std::string description = root ? kRootDescription : spec->description;
  if (!description.empty()) {
    os << "DESCRIPTION:\n";
    writeIndented(os, description);
    os << '\n';
  }

  // On rkt itself the global flags are its own (cobra: persistent flags are local to the root).
  std::vector<const CLI::Option*> local;
  std::vector<const CLI::Option*> global;
  for (const CLI::Option* o : app.get_options()) {
    if (!o->nonpositional() || o->get_group().empty())
      continue;
    (o->get_group() == kGlobalGroup && !root ? global : local).push_back(o);
  }
  if (!local.empty()) {
    os << "OPTIONS:\n";
    writeFlags(os, local);
    os << '\n';
  }
  if (!global.empty()) {
    os << "GLOBAL OPTIONS:\n";
    writeFlags(os, global);
    os << '\n';
  }
  return os.str();
}

}  // namespace rkt::cli
