#include "pod_support.hpp"

#include <cerrno>
#include <ostream>

#include "flags.hpp"
#include "global_options.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/search_path.hpp"
#include "rkt/core/pod/gc.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/uuid.hpp"
#include "rkt/core/pod/wait.hpp"
#include "rkt/core/util/duration.hpp"
#include "rkt/schema/names.hpp"

namespace rkt::cli {

std::optional<PodContext> openPodContext(const Invocation& inv) {
  const GlobalOptions& g = inv.global;
  Result<config::Config> config =
      config::loadConfig(config::Dirs{g.systemConfigDir, g.localConfigDir, g.userConfigDir});
  if (!config) {
    inv.fail(config.error().wrap("cannot get configuration"));
    return std::nullopt;
  }
  Result<std::string> dataDir =
      config::resolveDataDir(*config, g.dirSet ? std::optional<std::string>(g.dir) : std::nullopt);
  if (!dataDir) {
    inv.fail(dataDir.error().wrap("cannot get the data directory"));
    return std::nullopt;
  }
  PodContext ctx;
  ctx.config = std::move(*config);
  ctx.dataDir = *dataDir;
  ctx.dirs = pod::PodDirs(*dataDir);
  return ctx;
}

Result<stage1::Stage1Client> loadStage1(const Invocation& inv, PodContext& ctx,
                                        const pod::Pod& pod) {
  if (!ctx.registry) {
    plugin::setPluginDebugLogging(inv.global.debug);
    ctx.registry = std::make_unique<plugin::PluginRegistry>(
        plugin::defaultSearchPath(ctx.config.paths.plugins));
  }
  Result<stage1::Stage1Client> s1 = stage1::Stage1Client::forPod(*ctx.registry, pod);
  if (s1)
    inv.debug("pod " + pod.uuid().str() + " uses stage1 `" + s1->flavor() + "`");
  return s1;
}

Result<std::chrono::nanoseconds> parseWaitValue(const std::string& value) {
  if (value.empty())
    return std::chrono::nanoseconds(-1);
  if (std::optional<bool> b = parseGoBool(value))
    return std::chrono::nanoseconds(*b ? -1 : 0);
  return util::parseGoDuration(value);
}

std::chrono::milliseconds waitTimeout(std::chrono::nanoseconds d) {
  if (d.count() < 0)
    return pod::kWaitForever;
  return std::chrono::ceil<std::chrono::milliseconds>(d);
}

UuidArgList collectUuidArgs(const std::vector<std::string>& args, const std::string& uuidFile,
                            bool single) {
  UuidArgList list;
  if (args.empty() && !uuidFile.empty()) {
    Result<std::string> uuid = pod::readUuidFile(uuidFile);
    if (!uuid) {
      list.outcome = UuidArgs::UnreadableFile;
      list.fileError = uuid.error();
    } else {
      list.uuids.push_back(*uuid);
    }
  } else if (!args.empty() && uuidFile.empty() && (!single || args.size() == 1)) {
    list.uuids = args;
  } else {
    list.outcome = UuidArgs::Usage;
  }
  return list;
}

Result<std::string> chooseApp(const Invocation& inv, const pod::Pod& pod,
                              const std::string& flagApp, const std::string& command,
                              bool mustExist) {
  if (!flagApp.empty() && !mustExist) {
    if (Status s = schema::validateAcName(flagApp); !s)
      return s.error();
    return flagApp;
  }
  Result<std::vector<pod::ManifestApp>> apps = pod::readManifestApps(pod);
  if (!apps)
    return apps.error().wrap("error reading pod manifest");
  if (!flagApp.empty()) {
    for (const pod::ManifestApp& app : *apps) {
      if (app.name == flagApp)
        return flagApp;
    }
    return Error{"app " + flagApp + " is not present in pod", ENOENT};
  }
  if (apps->empty())
    return Error{"pod contains zero apps", ENOENT};
  if (apps->size() == 1)
    return apps->front().name;
  inv.error("pod contains multiple apps:");
  for (const pod::ManifestApp& app : *apps)
    inv.error("\t" + app.name);
  return Error{"specify app using \"rkt " + command + " --app= ...\"", EINVAL};
}

void releaseStage1(const Invocation& inv, PodContext& ctx, const pod::Pod& pod) {
  if (pod.phase() != pod::Phase::ExitedGarbage)
    return;  // never ran: the stage1 set nothing up
  // The stage1 releases what it set up (networks, cgroups...) while the pod directory, and
  // what the stage1 wrote there, still exist. Failing that must not keep the pod forever.
  if (Result<stage1::Stage1Client> s1 = loadStage1(inv, ctx, pod); !s1) {
    inv.error("skipping stage1 GC: " + s1.error().message);
  } else if (!s1->has("gc")) {
    inv.debug("stage1 `" + s1->flavor() + "` has no gc op: nothing to release");
  } else {
    stage1::GcRequest request{pod.path(), pod.uuid().str(), inv.global.debug,
                              inv.global.localConfigDir};
    if (Status s = s1->gc(request); !s) {
      inv.error("problem performing stage1 GC on " + quotedUuid(pod.uuid()) + ": " +
                s.error().message);
    }
  }
}

bool collectPod(const Invocation& inv, PodContext& ctx, pod::Pod& pod) {
  releaseStage1(inv, ctx, pod);
  if (Status s = pod::deletePod(pod); !s) {
    inv.error("unable to remove pod " + quotedUuid(pod.uuid()) + ": " + s.error().message);
    return false;
  }
  return true;
}

std::string quotedUuid(const pod::Uuid& uuid) {
  return "\"" + uuid.str() + "\"";
}

}  // namespace rkt::cli
