#include "man_page.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>

#include "dispatch.hpp"
#include "flags.hpp"
#include "global_options.hpp"
#include "help.hpp"
#include "lookup.hpp"

namespace rkt::cli {
namespace {

using Path = std::vector<const CommandSpec*>;

// Text for roff: backslashes escaped, a line may not start with a control character, and '-'
// is a real minus sign (\-), so that flags and commands read from the page can be pasted.
std::string roffText(const std::string& text) {
  std::string out;
  bool lineStart = true;
  for (char c : text) {
    if (lineStart && (c == '.' || c == '\''))
      out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
    lineStart = c == '\n';
  }
  return out;
}

std::string pageName(const Path& path) {
  std::string name = kRootName;
  for (const CommandSpec* c : path)
    name += std::string("-") + c->name;
  return name;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// A description as help shows it: paragraphs separated by blank lines; a paragraph with an
// indented line (an example) keeps its lines as they are, the others are filled by man.
void writeDescription(std::ostream& os, const std::string& description) {
  std::istringstream lines(description);
  std::vector<std::vector<std::string>> paragraphs(1);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      if (!paragraphs.back().empty())
        paragraphs.emplace_back();
    } else {
      paragraphs.back().push_back(line);
    }
  }
  for (const auto& paragraph : paragraphs) {
    if (paragraph.empty())
      continue;
    const bool verbatim = std::any_of(paragraph.begin(), paragraph.end(), [](const std::string& l) {
      return std::isspace(static_cast<unsigned char>(l.front())) != 0;
    });
    os << ".PP\n" << (verbatim ? ".nf\n" : "");
    for (const std::string& l : paragraph)
      os << roffText(l) << '\n';
    os << (verbatim ? ".fi\n" : "");
  }
}

// One .TP entry per flag, sorted by long name as help sorts them.
void writeOptions(std::ostream& os, const char* heading, std::vector<const CLI::Option*> options) {
  if (options.empty())
    return;
  auto key = [](const CLI::Option* o) {
    return o->get_lnames().empty() ? o->get_name() : o->get_lnames().front();
  };
  std::sort(options.begin(), options.end(),
            [&key](const CLI::Option* a, const CLI::Option* b) { return key(a) < key(b); });
  os << ".SH " << heading << '\n';
  for (const CLI::Option* o : options) {
    os << ".TP\n";
    for (const std::string& s : o->get_snames())
      os << "\\fB\\-" << roffText(s) << "\\fR, ";
    os << "\\fB\\-\\-" << roffText(key(o)) << "\\fR";
    const std::string value = roffText(o->get_default_str());
    os << (isFlagLike(*o) ? "[=\\fI" + value + "\\fR]" : "=\\fI" + value + "\\fR") << '\n';
    os << roffText(o->get_description()) << '\n';
  }
}

void writeSeeAlso(std::ostream& os, std::vector<std::string> pages) {
  if (pages.empty())
    return;
  os << ".SH SEE ALSO\n";
  for (std::size_t i = 0; i < pages.size(); ++i)
    os << ".BR " << roffText(pages[i]) << " (1)" << (i + 1 < pages.size() ? "," : "") << '\n';
}

// Files and environment of rkt(1): the defaults the global flags name.
void writeRootSections(std::ostream& os) {
  os << ".SH FILES\n"
     << ".TP\n"
     << kDefaultDataDir << "\n"
     << "The data directory (\\fB\\-\\-dir\\fR): image store, pods, locks.\n"
     << ".TP\n"
     << kDefaultSystemConfigDir << "\n"
     << "Vendor configuration (\\fB\\-\\-system\\-config\\fR).\n"
     << ".TP\n"
     << kDefaultLocalConfigDir << "\n"
     << "Local configuration (\\fB\\-\\-local\\-config\\fR).\n"
     << ".SH ENVIRONMENT\n"
     << ".TP\nRKT_PLUGIN_PATH\n"
     << "Directories separated by colons, searched for plugins before the plugin directory\n"
     << "installed with rkt (see \\fBrkt plugins list\\fR).\n"
     << ".SH EXIT STATUS\n"
     << "0 on success, 2 when no command is given, 254 on failure; \\fBrkt run\\fR and\n"
     << "\\fBrkt enter\\fR exit with the status of the app.\n";
}

ManPage renderPage(const Path& path, CommandList rootCommands) {
  GlobalOptions unused;
  const std::unique_ptr<Scope> scope = makeScope(path, unused);
  const bool root = path.empty();
  const CommandSpec* spec = root ? nullptr : path.back();
  const std::string name = pageName(path);
  const std::vector<const CommandSpec*> children =
      visibleCommands(root ? rootCommands : spec->subcommands);

  std::ostringstream os;
  os << ".TH \"" << upper(name) << "\" \"1\" \"\" \"rkt " << RKT_VERSION_STRING
     << "\" \"rkt manual\"\n";
  os << ".SH NAME\n"
     << roffText(name) << " \\- " << roffText(root ? kRootSummary : spec->summary) << '\n';

  os << ".SH SYNOPSIS\n.B " << roffText(commandPath(path)) << '\n';
  const std::string usage = root ? "[command]" : spec->usage;
  if (!usage.empty())
    os << roffText(usage) << '\n';
  else if (!children.empty() && !spec->runnable())
    os << "[command]\n";

  const std::string description = root ? kRootDescription : spec->description;
  os << ".SH DESCRIPTION\n";
  writeDescription(os, description.empty() ? std::string(spec->summary) + "." : description);

  if (!children.empty()) {
    os << ".SH COMMANDS\n";
    for (const CommandSpec* c : children) {
      Path childPath = path;
      childPath.push_back(c);
      os << ".TP\n.BR " << roffText(pageName(childPath)) << " (1)\n"
         << roffText(c->summary) << '\n';
    }
  }

  // As in help: on rkt itself the global flags are its own options.
  std::vector<const CLI::Option*> local;
  std::vector<const CLI::Option*> global;
  for (const CLI::Option* o : scope->app.get_options()) {
    if (!o->nonpositional() || o->get_group().empty())
      continue;
    (o->get_group() == kGlobalGroup && !root ? global : local).push_back(o);
  }
  writeOptions(os, "OPTIONS", local);
  if (root) {
    writeRootSections(os);
  } else if (!global.empty()) {
    os << ".SH GLOBAL OPTIONS\nThe options of\n.BR rkt (1)\nare accepted too.\n";
  }

  std::vector<std::string> seeAlso;
  if (!root)
    seeAlso.push_back(pageName(Path(path.begin(), path.end() - 1)));
  for (const CommandSpec* c : children) {
    Path childPath = path;
    childPath.push_back(c);
    seeAlso.push_back(pageName(childPath));
  }
  writeSeeAlso(os, seeAlso);
  return ManPage{name + ".1", os.str()};
}

void collect(const Path& path, CommandList rootCommands, std::vector<ManPage>& out) {
  out.push_back(renderPage(path, rootCommands));
  const CommandList children = path.empty() ? rootCommands : path.back()->subcommands;
  for (const CommandSpec* c : visibleCommands(children)) {
    Path childPath = path;
    childPath.push_back(c);
    collect(childPath, rootCommands, out);
  }
}

}  // namespace

std::vector<ManPage> manPages(CommandList commands) {
  std::vector<ManPage> pages;
  collect({}, commands, pages);
  return pages;
}

}  // namespace rkt::cli
