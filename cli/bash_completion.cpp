#include "bash_completion.hpp"

#include <map>
#include <sstream>
#include <vector>

#include "dispatch.hpp"
#include "flags.hpp"
#include "lookup.hpp"

namespace rkt::cli {
namespace {

// Single-quotes a word for bash.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

// What the value of a flag completes to, in the script's encoding ("" = bash default).
std::string valueKind(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  if (type == kDirType)
    return "dir";
  if (type == kFileType)
    return "file";
  if (type.rfind(kWordsTypePrefix, 0) == 0) {
    return "words:" + type.substr(std::string_view(kWordsTypePrefix).size());
  }
  return "";
}

struct Node {
  std::string path;  // "" for rkt itself, "image list" for a subcommand
  std::vector<std::string> subcommands;
  std::vector<std::string> flags;       // local flags; value flags end in '='
  std::vector<std::string> valueFlags;  // local flags taking a separate value
  std::vector<std::pair<std::string, std::string>> flagKinds;  // local flag -> value kind
  const CommandSpec* spec = nullptr;
};

struct Tree {
  std::vector<Node> nodes;
  std::vector<std::string> globalFlags;
  std::vector<std::string> globalValueFlags;
  std::vector<std::pair<std::string, std::string>> globalKinds;
};

void collect(Tree& tree, CommandList commands, std::vector<const CommandSpec*> path) {
  GlobalOptions unused;
  const std::unique_ptr<Scope> scope = makeScope(path, unused);
  Node node;
  node.spec = scope->spec();
  for (const CommandSpec* c : path)
    node.path += (node.path.empty() ? "" : " ") + std::string(c->name);
  const bool root = path.empty();
  for (const CLI::Option* o : scope->app.get_options()) {
    if (!o->nonpositional() || o->get_group().empty())
      continue;
    const bool global = o->get_group() == kGlobalGroup;
    if (global && !root)
      continue;  // the same everywhere: listed once
    std::vector<std::string> names;
    for (const std::string& l : o->get_lnames())
      names.push_back("--" + l);
    for (const std::string& s : o->get_snames())
      names.push_back("-" + s);
    for (const std::string& n : names) {
      const bool takesValue = !isFlagLike(*o);
      (global ? tree.globalFlags : node.flags)
          .push_back(n + (takesValue && n[1] == '-' ? "=" : ""));
      if (takesValue)
        (global ? tree.globalValueFlags : node.valueFlags).push_back(n);
      const std::string kind = valueKind(*o);
      if (!kind.empty())
        (global ? tree.globalKinds : node.flagKinds).emplace_back(n, kind);
    }
  }
  const CommandList children = root ? commands : node.spec->subcommands;
  const std::vector<const CommandSpec*> visible = visibleCommands(children);
  for (const CommandSpec* c : visible)
    node.subcommands.emplace_back(c->name);
  tree.nodes.push_back(std::move(node));
  for (const CommandSpec* c : visible) {
    std::vector<const CommandSpec*> childPath = path;
    childPath.push_back(c);
    collect(tree, commands, childPath);
  }
}

constexpr const char* kMain = R"BASH(
__rkt_images() {
  COMPREPLY=($(compgen -W "$("$__rkt_bin" image list --no-legend --full 2>/dev/null | awk '{print $1}')" -- "$1"))
}

__rkt_pods() {
  COMPREPLY=($(compgen -W "$("$__rkt_bin" list --no-legend --full 2>/dev/null | awk '{print $1}')" -- "$1"))
}

# __rkt_complete_value PATH FLAG VALUE PREFIX: completes VALUE of FLAG; PREFIX goes in front of
# every candidate (the "--flag=" part when bash does not split words at '=').
__rkt_complete_value() {
  local kind head=""
  kind=$(__rkt_value_kind "$1" "$2")
  case "$kind" in
  dir)
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -P "$4" -- "$3"))
    ;;
  file)
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -P "$4" -- "$3"))
    ;;
  words:*)
    [[ "$3" == *,* ]] && head="${3%,*},"
    COMPREPLY=($(compgen -W "${kind#words:}" -P "$4$head" -- "${3##*,}"))
    ;;
  esac
}

_rkt() {
  local __rkt_bin line cur prev path="" word subs i skip=0 dashdash=0
  local -a words=()
  line="${COMP_LINE:0:COMP_POINT}"
  read -r -a words <<<"$line"
  if [[ ${#words[@]} -eq 0 || "$line" == *[[:space:]] ]]; then words+=(""); fi
  __rkt_bin="${words[0]:-rkt}"
  cur="${words[${#words[@]}-1]}"
  prev=""
  COMPREPLY=()

  # Walk the words before the cursor: follow subcommand names, skip flag values.
  for ((i = 1; i < ${#words[@]} - 1; i++)); do
    word="${words[i]}"
    prev="$word"
    if ((skip)); then
      skip=0
      prev=""
      continue
    fi
    ((dashdash)) && continue
    case "$word" in
    --) dashdash=1 ;;
    -*=*) ;;
    -*) [[ " $(__rkt_value_flags "$path") " == *" $word "* ]] && skip=1 ;;
    *)
      subs=" $(__rkt_subcommands "$path") "
      [[ "$subs" != "  " && "$subs" == *" $word "* ]] && path="${path:+$path }$word"
      ;;
    esac
  done

  if ((skip)); then
    __rkt_complete_value "$path" "$prev" "$cur" ""
    return 0
  fi
  if ((!dashdash)); then
    case "$cur" in
    -*=*)
      local prefix=""
      [[ "$COMP_WORDBREAKS" != *=* ]] && prefix="${cur%%=*}="
      __rkt_complete_value "$path" "${cur%%=*}" "${cur#*=}" "$prefix"
      return 0
      ;;
    -*)
      COMPREPLY=($(compgen -W "$(__rkt_flags "$path")" -- "$cur"))
      [[ ${#COMPREPLY[@]} -eq 1 && "${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
      return 0
      ;;
    esac
    subs=$(__rkt_subcommands "$path")
    if [[ -n "$subs" ]]; then
      COMPREPLY=($(compgen -W "$subs" -- "$cur"))
      return 0
    fi
  fi
  __rkt_args "$path" "$cur"
  return 0
}

complete -o default -F _rkt rkt
)BASH";

}  // namespace

std::string bashCompletionScript(CommandList commands) {
  Tree tree;
  collect(tree, commands, {});

  std::ostringstream os;
  os << "# bash completion for rkt                                  -*- shell-script -*-\n"
     << "# Generated by `rkt completion bash` (rkt " << RKT_VERSION_STRING << ").\n"
     << "# Load it with:  source <(rkt completion bash)\n"
     << "# or install it as /usr/share/bash-completion/completions/rkt.\n\n";

  os << "__rkt_subcommands() {\n  case \"$1\" in\n";
  for (const Node& n : tree.nodes) {
    if (!n.subcommands.empty()) {
      os << "  " << quote(n.path) << ") echo " << quote(join(n.subcommands)) << " ;;\n";
    }
  }
  os << "  esac\n}\n\n";

  os << "# Every flag of a command, global flags included; '=' marks a flag taking a value.\n"
     << "__rkt_flags() {\n  echo " << quote(join(tree.globalFlags)) << "\n  case \"$1\" in\n";
  for (const Node& n : tree.nodes) {
    if (!n.flags.empty())
      os << "  " << quote(n.path) << ") echo " << quote(join(n.flags)) << " ;;\n";
  }
  os << "  esac\n}\n\n";

  os << "# Flags that take their value in the next word (--name VALUE).\n"
     << "__rkt_value_flags() {\n  echo " << quote(join(tree.globalValueFlags))
     << "\n  case \"$1\" in\n";
  for (const Node& n : tree.nodes) {
    if (!n.valueFlags.empty()) {
      os << "  " << quote(n.path) << ") echo " << quote(join(n.valueFlags)) << " ;;\n";
    }
  }
  os << "  esac\n}\n\n";

  os << "# __rkt_value_kind PATH FLAG: dir, file, words:LIST or nothing (bash default).\n"
     << "__rkt_value_kind() {\n  case \"$1|$2\" in\n";
  for (const Node& n : tree.nodes) {
    for (const auto& [flag, kind] : n.flagKinds) {
      os << "  " << quote(n.path + "|" + flag) << ") echo " << quote(kind) << " ;;\n";
    }
  }
  for (const auto& [flag, kind] : tree.globalKinds) {
    os << "  *" << quote("|" + flag) << ") echo " << quote(kind) << " ;;\n";
  }
  os << "  esac\n}\n\n";

  os << "# __rkt_args PATH CUR: completes a command's positional arguments.\n"
     << "__rkt_args() {\n  case \"$1\" in\n";
  std::vector<std::string> top;
  for (const CommandSpec* c : visibleCommands(commands))
    top.emplace_back(c->name);
  for (const Node& n : tree.nodes) {
    if (n.spec == nullptr || !n.spec->runnable())
      continue;
    std::string action;
    switch (n.spec->argCompletion) {
      case ArgCompletion::kFiles:
        continue;  // bash's default (-o default) completes file names
      case ArgCompletion::kNothing:
        action = "compopt +o default 2>/dev/null";
        break;
      case ArgCompletion::kImages:
        action = "__rkt_images \"$2\"";
        break;
      case ArgCompletion::kPods:
        action = "__rkt_pods \"$2\"";
        break;
      case ArgCompletion::kCommands:
        action = "COMPREPLY=($(compgen -W " + quote(join(top)) + " -- \"$2\"))";
        break;
      case ArgCompletion::kWords:
        action = "COMPREPLY=($(compgen -W " + quote(n.spec->completionWords) + " -- \"$2\"))";
        break;
    }
    os << "  " << quote(n.path) << ") " << action << " ;;\n";
  }
  os << "  esac\n}\n";
  os << kMain;
  return os.str();
}

}  // namespace rkt::cli
