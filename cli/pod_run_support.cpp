#include "pod_run_support.hpp"

#include <ostream>

#include <CLI/CLI.hpp>

#include "global_options.hpp"
#include "rkt/core/image/finder.hpp"

namespace rkt::cli {
namespace {

bool hasAnyMount(const stage0::AppList& apps) {
  if (!apps.mounts.empty())
    return true;
  for (const stage0::AppSpec& a : apps.apps) {
    if (!a.mounts.empty())
      return true;
  }
  return false;
}

}  // namespace

Status parseRunArgs(const Invocation& inv, RunFlags& flags, RunCommandKind which,
                    GlobalOptions& global) {
  CLI::App globalFlags;
  globalFlags.set_help_flag();
  globalFlags.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  addGlobalFlags(globalFlags, global);
  return parseAppArgs(inv.args, flags, which, &globalFlags);
}

Invocation withGlobals(const Invocation& inv, const GlobalOptions& global) {
  return Invocation{inv.spec, inv.commands, inv.path,      global,      inv.args,
                    inv.out,  inv.err,      inv.logPrefix, inv.helpText};
}

std::optional<std::string> checkRunFlags(RunFlags& flags, const Invocation& inv, bool isRun) {
  if (flags.storeOnly && flags.noStore)
    return std::string("both --store-only and --no-store specified");
  if (flags.storeOnly) {
    inv.err << "Flag --store-only has been deprecated, please use --pull-policy=never\n";
    flags.pullPolicy = "never";
  }
  if (flags.noStore) {
    inv.err << "Flag --no-store has been deprecated, please use --pull-policy=update\n";
    flags.pullPolicy = "update";
  }
  if (isRun && !flags.ports.empty() && (flags.net == "none" || flags.net == "host"))
    return "--port flag does not work with --net=" + flags.net;
  if (isRun && flags.mdsRegister && flags.net == "none")
    return std::string(
        "--mds-register flag does not work with --net=none. Please use 'host', "
        "'default' or an equivalent network");
  if (!flags.podManifest.empty() &&
      (!flags.apps.apps.empty() || !flags.apps.volumes.empty() || hasAnyMount(flags.apps) ||
       !flags.ports.empty() || flags.pullPolicy == "never" || flags.pullPolicy == "update" ||
       flags.inheritEnv || !flags.setEnv.empty() || !flags.setEnvFile.empty()))
    return std::string("conflicting flags set with --pod-manifest (see --help)");
  if (flags.interactive && flags.apps.apps.size() > 1)
    return std::string("interactive option only supports one image");
  if (flags.apps.apps.empty() && flags.podManifest.empty())
    return std::string("must provide at least one image or specify the pod manifest");
  return std::nullopt;
}

PrepareOptions prepareOptions(const RunFlags& flags) {
  PrepareOptions options;
  options.stage1 = flags.stage1;
  options.apps = flags.apps;
  options.ports = flags.ports;
  options.podManifest = flags.podManifest;
  Result<image::PullPolicy> policy = image::parsePullPolicy(flags.pullPolicy);
  options.pullPolicy = policy ? *policy : image::PullPolicy::kNew;  // rkt: anything else = new
  options.inheritEnv = flags.inheritEnv;
  options.setEnv = flags.setEnv;
  options.setEnvFile = flags.setEnvFile;
  options.noOverlay = flags.noOverlay;
  options.privateUsers = flags.privateUsers;
  options.uuidFileSave = flags.uuidFileSave;
  return options;
}

RunOptions runOptions(const RunFlags& flags, const stage0::DnsConfig& dns) {
  RunOptions options;
  options.net = flags.net;
  options.interactive = flags.interactive;
  options.hostname = flags.hostname;
  options.ipc = flags.ipc;
  options.dns = dns;
  return options;
}

}  // namespace rkt::cli
