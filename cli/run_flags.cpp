#include "run_flags.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include <CLI/CLI.hpp>

#include "argscan.hpp"
#include "flags.hpp"
#include "rkt/core/stage0/environment.hpp"
#include "rkt/core/stage0/manifest_gen.hpp"

namespace rkt::cli {
namespace {

enum class FlagKind { kBool, kValue, kOptionalValue };

using Setter = std::function<Status(RunFlags&, const std::string&)>;

struct FlagDef {
  const char* name;  // without dashes
  FlagKind kind;
  unsigned commands;
  const char* help;
  Setter set;
  bool hidden = false;
  const char* noOptValue = "";  // kOptionalValue
};

constexpr unsigned kRunPrepare = kForRun | kForPrepare;
constexpr unsigned kAll = kForRun | kForPrepare | kForRunPrepared;

Setter boolInto(bool RunFlags::*member) {
  return [member](RunFlags& f, const std::string& v) -> Status {
    f.*member = v == "true";
    return {};
  };
}

Setter stage1Setter(stage1::Stage1Flags::Kind kind) {
  return [kind](RunFlags& f, const std::string& v) { return f.stage1.set(kind, v); };
}

Setter perApp(const char* name) {
  return [name](RunFlags& f, const std::string& v) { return stage0::setAppFlag(f.apps, name, v); };
}

const std::vector<FlagDef>& flagTable() {
  using K = stage1::Stage1Flags::Kind;
  static const std::vector<FlagDef> table = {
      // Stage1 selection.
      {"stage1-url", FlagKind::kValue, kRunPrepare,
       "URL to an image to use as stage1 (its file name names the stage1 flavor)",
       stage1Setter(K::kUrl)},
      {"stage1-path", FlagKind::kValue, kRunPrepare,
       "absolute or relative path to an image to use as stage1 (its file name names the flavor)",
       stage1Setter(K::kPath)},
      {"stage1-name", FlagKind::kValue, kRunPrepare,
       "name of an image to use as stage1 (e.g. coreos.com/rkt/stage1-fly)",
       stage1Setter(K::kName)},
      {"stage1-hash", FlagKind::kValue, kRunPrepare, "hash of an image to use as stage1",
       stage1Setter(K::kHash)},
      {"stage1-from-dir", FlagKind::kValue, kRunPrepare,
       "filename of an image in stage1 images directory to use as stage1",
       stage1Setter(K::kFromDir)},
      // Pod flags.
      {"port", FlagKind::kValue, kRunPrepare,
       "ports to expose on the host (requires contained network). Syntax: "
       "--port=NAME:[HOSTIP:]HOSTPORT",
       [](RunFlags& f, const std::string& v) -> Status {
         Result<schema::ExposedPort> port = stage0::parsePortFlag(v);
         if (!port)
           return port.error();
         f.ports.push_back(*port);
         return {};
       }},
      {"net", FlagKind::kOptionalValue, kForRun | kForRunPrepared,
       "configure the pod's networking. Syntax: --net[=n[:args], ...]",
       [](RunFlags& f, const std::string& v) -> Status {
         f.net = v;
         f.netGiven = true;
         return {};
       },
       false, "default"},
      {"inherit-env", FlagKind::kBool, kRunPrepare,
       "inherit all environment variables not set by apps", boolInto(&RunFlags::inheritEnv)},
      {"no-overlay", FlagKind::kBool, kRunPrepare, "disable overlay filesystem",
       boolInto(&RunFlags::noOverlay)},
      {"private-users", FlagKind::kBool, kRunPrepare, "run within user namespaces.",
       boolInto(&RunFlags::privateUsers)},
      {"set-env", FlagKind::kValue, kRunPrepare,
       "environment variable to set for all the apps in the form key=value, this will be "
       "overridden by --environment",
       [](RunFlags& f, const std::string& v) { return stage0::addSetEnv(f.setEnv, v); }},
      {"set-env-file", FlagKind::kValue, kRunPrepare, "path to an environment variables file",
       [](RunFlags& f, const std::string& v) { return stage0::readEnvFile(f.setEnvFile, v); }},
      {"interactive", FlagKind::kBool, kForRun | kForRunPrepared,
       "run pod interactively. If true, only one image may be supplied.",
       boolInto(&RunFlags::interactive)},
      {"dns", FlagKind::kValue, kForRun | kForRunPrepared,
       "name servers to write in /etc/resolv.conf. Pass 'host' to use host's resolv.conf. Pass "
       "'none' to ignore CNI DNS config",
       [](RunFlags& f, const std::string& v) -> Status {
         f.dns.dns.push_back(v);
         return {};
       }},
      {"dns-search", FlagKind::kValue, kForRun | kForRunPrepared,
       "DNS search domains to write in /etc/resolv.conf",
       [](RunFlags& f, const std::string& v) -> Status {
         f.dns.search.push_back(v);
         return {};
       }},
      {"dns-opt", FlagKind::kValue, kForRun | kForRunPrepared,
       "DNS options to write in /etc/resolv.conf",
       [](RunFlags& f, const std::string& v) -> Status {
         f.dns.options.push_back(v);
         return {};
       }},
      {"dns-domain", FlagKind::kValue, kForRun | kForRunPrepared,
       "DNS domain to write in /etc/resolv.conf",
       [](RunFlags& f, const std::string& v) -> Status {
         f.dns.domain = v;
         return {};
       }},
      {"hosts-entry", FlagKind::kValue, kForRun | kForRunPrepared,
       "Entries to add to the pod-wide /etc/hosts. Pass 'host' to use the host's /etc/hosts",
       [](RunFlags& f, const std::string& v) -> Status {
         f.dns.hostsEntries.push_back(v);
         return {};
       }},
      {"store-only", FlagKind::kBool, kRunPrepare,
       "use only available images in the store (do not discover or download from remote URLs)",
       boolInto(&RunFlags::storeOnly), true},
      {"no-store", FlagKind::kBool, kRunPrepare, "fetch images ignoring the local store",
       boolInto(&RunFlags::noStore), true},
      {"pull-policy", FlagKind::kValue, kRunPrepare, "when to pull an image",
       [](RunFlags& f, const std::string& v) -> Status {
         f.pullPolicy = v;
         f.pullPolicyGiven = true;
         return {};
       }},
      {"pod-manifest", FlagKind::kValue, kRunPrepare,
       "the path to the pod manifest. If it's non-empty, then only '--net', '--no-overlay' and "
       "'--interactive' will have effect",
       [](RunFlags& f, const std::string& v) -> Status {
         f.podManifest = v;
         return {};
       }},
      {"mds-register", FlagKind::kBool, kForRun | kForRunPrepared,
       "register pod with metadata service. needs network connectivity to the host "
       "(--net=(default|default-restricted|host)",
       boolInto(&RunFlags::mdsRegister)},
      {"uuid-file-save", FlagKind::kValue, kForRun, "write out pod UUID to specified file",
       [](RunFlags& f, const std::string& v) -> Status {
         f.uuidFileSave = v;
         return {};
       }},
      {"hostname", FlagKind::kValue, kForRun | kForRunPrepared,
       "pod's hostname. If empty, it will be \"rkt-$PODUUID\"",
       [](RunFlags& f, const std::string& v) -> Status {
         f.hostname = v;
         return {};
       }},
      {"volume", FlagKind::kValue, kRunPrepare, "volumes to make available in the pod",
       [](RunFlags& f, const std::string& v) -> Status {
         Result<schema::Volume> vol = schema::volumeFromString(v);
         if (!vol)
           return Error{"invalid value in --volume flag \"" + v + "\": " + vol.error().message};
         f.apps.volumes.push_back(*vol);
         return {};
       }},
      {"ipc", FlagKind::kValue, kForRun | kForRunPrepared,
       "whether to stay in the host IPC namespace. Syntax: --ipc=[auto|private|parent]",
       [](RunFlags& f, const std::string& v) -> Status {
         f.ipc = v;
         return {};
       }},
      {"quiet", FlagKind::kBool, kForPrepare,
       "suppress superfluous output on stdout, print only the UUID on success",
       boolInto(&RunFlags::quiet)},
      // Per-app flags.
      {"signature", FlagKind::kValue, kRunPrepare,
       "local signature file to use in validating the preceding image", perApp("signature")},
      {"exec", FlagKind::kValue, kRunPrepare, "override the exec command for the preceding image",
       perApp("exec")},
      {"working-dir", FlagKind::kValue, kRunPrepare,
       "override the working directory of the preceding image", perApp("working-dir")},
      {"readonly-rootfs", FlagKind::kOptionalValue, kRunPrepare,
       "if set, the app's rootfs will be mounted read-only", perApp("readonly-rootfs"), false,
       "true"},
      {"mount", FlagKind::kValue, kRunPrepare,
       "mount point binding a volume to a path within an app", perApp("mount")},
      {"user", FlagKind::kValue, kRunPrepare,
       "user override for the preceding image (example: '--user=user')", perApp("user")},
      {"group", FlagKind::kValue, kRunPrepare,
       "group override for the preceding image (example: '--group=group')", perApp("group")},
      {"supplementary-gids", FlagKind::kValue, kRunPrepare,
       "supplementary group IDs override for the preceding image (examples: "
       "'--supplementary-gids=1024,2048'",
       perApp("supplementary-gids")},
      {"name", FlagKind::kValue, kRunPrepare,
       "set the name of the app (example: '--name=foo'). If not set, then the app name default "
       "to the image's name",
       perApp("name")},
      {"annotation", FlagKind::kValue, kRunPrepare,
       "set the app's annotations (example: '--annotation=foo=bar')", perApp("annotation")},
      {"user-annotation", FlagKind::kValue, kRunPrepare,
       "set the app's annotations (example: '--user-annotation=foo=bar')",
       perApp("user-annotation")},
      {"user-label", FlagKind::kValue, kRunPrepare,
       "set the app's labels (example: '--user-label=foo=bar')", perApp("user-label")},
      {"environment", FlagKind::kValue, kRunPrepare,
       "set the app's environment variables (example: '--environment=foo=bar')",
       perApp("environment")},
      {"memory", FlagKind::kValue, kRunPrepare,
       "memory limit for the preceding image (example: '--memory=16Mi', '--memory=50M', "
       "'--memory=1G')",
       perApp("memory")},
      {"cpu", FlagKind::kValue, kRunPrepare,
       "cpu limit for the preceding image (example: '--cpu=500m')", perApp("cpu")},
      {"cpu-shares", FlagKind::kValue, kRunPrepare,
       "cpu-shares assigns the specified CPU time share weight (example: '--cpu-shares=2048')",
       perApp("cpu-shares")},
      {"caps-retain", FlagKind::kValue, kRunPrepare,
       "capability to retain (example: '--caps-retain=CAP_SYS_ADMIN')", perApp("caps-retain")},
      {"caps-remove", FlagKind::kValue, kRunPrepare,
       "capability to remove (example: '--caps-remove=CAP_MKNOD')", perApp("caps-remove")},
      {"seccomp", FlagKind::kValue, kRunPrepare,
       "seccomp filter override (example: '--seccomp mode=retain,errno=EPERM,chmod,chown')",
       perApp("seccomp")},
      {"oom-score-adj", FlagKind::kValue, kRunPrepare, "oom-score-adj isolator override",
       perApp("oom-score-adj")},
      {"cap-retain", FlagKind::kValue, kRunPrepare,
       "capability to retain (deprecated: use --caps-retain)", perApp("cap-retain"), true},
      {"cap-remove", FlagKind::kValue, kRunPrepare,
       "capability to remove (deprecated: use --caps-remove)", perApp("cap-remove"), true},
      {"stdin", FlagKind::kValue, kRunPrepare, "stdin mode for the preceding application",
       perApp("stdin"), true},
      {"stdout", FlagKind::kValue, kRunPrepare, "stdout mode for the preceding application",
       perApp("stdout"), true},
      {"stderr", FlagKind::kValue, kRunPrepare, "stderr mode for the preceding application",
       perApp("stderr"), true},
  };
  return table;
}

// rkt registers --stdin/--stdout/--stderr only with RKT_EXPERIMENT_ATTACH=true.
bool flagExists(const FlagDef& def, RunCommandKind which) {
  if ((def.commands & which) == 0)
    return false;
  const std::string_view name = def.name;
  if (name == "stdin" || name == "stdout" || name == "stderr") {
    const char* value = std::getenv("RKT_EXPERIMENT_ATTACH");
    return value != nullptr && parseGoBool(value).value_or(false);
  }
  return true;
}

const FlagDef* findFlag(const std::string& name, RunCommandKind which) {
  for (const FlagDef& def : flagTable()) {
    if (flagExists(def, which) && name == def.name)
      return &def;
  }
  return nullptr;
}

// pflag's wrapping of a Value.Set error.
std::string invalidArgument(const std::string& value, const std::string& name,
                            const std::string& why) {
  return "invalid argument \"" + value + "\" for \"--" + name + "\" flag: " + why;
}

}  // namespace

void addRunFlags(CLI::App& app, RunFlags& flags, RunCommandKind which) {
  for (const FlagDef& def : flagTable()) {
    if (!flagExists(def, which))
      continue;
    const std::string name = def.name;
    const Setter set = def.set;
    RunFlags* target = &flags;
    CLI::Option* option = nullptr;
    if (def.kind == FlagKind::kBool) {
      option = app.add_option(
          "--" + name,
          [target, set, name](const CLI::results_t& results) {
            for (const std::string& text : results) {
              const std::optional<bool> value = parseGoBool(text);
              if (!value)
                throw CLI::ConversionError(
                    invalidArgument(text, name, "not a boolean (use true or false)"));
              if (Status s = set(*target, *value ? "true" : "false"); !s)
                throw CLI::ConversionError(invalidArgument(text, name, s.error().message));
            }
            return true;
          },
          def.help);
      option->expected(0);
      option->default_str("false");
      option->type_name("BOOL");
    } else if (def.kind == FlagKind::kOptionalValue) {
      // `--name` alone means noOptValue; CLI11's "{default}" flag syntax gives pflag's
      // NoOptDefVal behaviour.
      option = app.add_flag("--" + name + "{" + def.noOptValue + "}", def.help);
      option->each([target, set, name](const std::string& text) {
        if (Status s = set(*target, text); !s)
          throw CLI::ConversionError(invalidArgument(text, name, s.error().message));
      });
      option->type_name("VALUE");
    } else {
      option = app.add_option(
          "--" + name,
          [target, set, name](const CLI::results_t& results) {
            for (const std::string& text : results) {
              if (Status s = set(*target, text); !s)
                throw CLI::ConversionError(invalidArgument(text, name, s.error().message));
            }
            return true;
          },
          def.help);
      option->type_name(name.rfind("set-env-file", 0) == 0 || name == "pod-manifest" ||
                                name == "uuid-file-save" || name == "signature" ||
                                name == "stage1-path"
                            ? kFileType
                            : "STRING");
    }
    // What help shows as the default (rkt's help: `--net[=default]`, `--pull-policy=new`).
    if (name == "net")
      option->default_str("default");
    else if (name == "pull-policy")
      option->default_str("new");
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    option->group(def.hidden ? "" : kLocalGroup);
  }
}

Status parseAppArgs(const std::vector<std::string>& args, RunFlags& flags, RunCommandKind which,
                    CLI::App* globalFlags) {
  stage0::AppList& apps = flags.apps;
  bool inAppArgs = false;
  std::size_t appsAtLastArgs = apps.apps.size();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (inAppArgs) {
      if (a == "---")
        inAppArgs = false;
      else
        apps.apps.back().args.push_back(a);
      continue;
    }
    if (a == "--") {
      if (appsAtLastArgs == apps.apps.size()) {
        return Error{apps.apps.empty() ? "an image is required before any app arguments"
                                       : "only one set of app arguments allowed per image"};
      }
      appsAtLastArgs = apps.apps.size();
      apps.apps.back().hasArgs = true;
      inAppArgs = true;
      continue;
    }
    if (a == "---" || a.empty())
      continue;
    if (a.size() < 2 || a[0] != '-') {
      apps.create(a);
      continue;
    }
    const std::size_t eq = a.find('=');
    const std::string name =
        a[1] != '-' ? std::string()
                    : a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    const FlagDef* def = name.empty() ? nullptr : findFlag(name, which);
    if (def == nullptr && globalFlags != nullptr) {
      // rkt's persistent flags (--debug, --dir, ...) are accepted among the images too.
      const Token token = classifyToken(*globalFlags, a);
      if (token.option != nullptr && token.option->get_name() != "--help") {
        const std::size_t end = std::min(args.size(), i + 1 + token.valueTokens);
        std::vector<std::string> tokens(args.begin() + i, args.begin() + end);
        if (tokens.size() < 1 + token.valueTokens)
          return Error{"flag needs an argument: " + token.name};
        tokens = normalizeForCli11(*globalFlags, tokens);
        std::reverse(tokens.begin(), tokens.end());
        try {
          globalFlags->parse(tokens);
        } catch (const CLI::ParseError& e) {
          return Error{e.what()};
        }
        i = end - 1;
        continue;
      }
    }
    if (a[1] != '-')
      return Error{"unknown shorthand flag: '" + a.substr(1, 1) + "' in " + a};
    if (def == nullptr)
      return Error{"unknown flag: --" + name};
    std::string value;
    if (eq != std::string::npos) {
      value = a.substr(eq + 1);
      if (def->kind == FlagKind::kBool) {
        const std::optional<bool> b = parseGoBool(value);
        if (!b)
          return Error{invalidArgument(value, name, "not a boolean (use true or false)")};
        value = *b ? "true" : "false";
      }
    } else if (def->kind == FlagKind::kBool) {
      value = "true";
    } else if (def->kind == FlagKind::kOptionalValue) {
      value = def->noOptValue;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Error{"flag needs an argument: --" + name};
    }
    if (Status s = def->set(flags, value); !s)
      return Error{invalidArgument(value, name, s.error().message)};
  }
  return stage0::validateAppList(apps);
}

}  // namespace rkt::cli
