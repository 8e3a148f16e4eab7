#include "pod_run_support.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include <CLI/CLI.hpp>

#include "global_options.hpp"
#include "rkt/core/image/finder.hpp"
#include "rkt/core/plugin/search_path.hpp"
#include "rkt/core/stage0/manifest_gen.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/trust/keystore.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/os_arch.hpp"
#include "rkt/schema/pod_manifest.hpp"

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

// rkt's prepareLock: held shared while a pod is prepared, so `image gc` (exclusive) does not
// remove trees a preparation is about to use.
class PrepareLock {
 public:
  explicit PrepareLock(const std::string& dataDir) {
    const std::string dir = dataDir + "/locks";
    ::mkdir(dir.c_str(), 0750);
    fd_ = ::open((dir + "/prepareLock").c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_SH) != 0 && errno == EINTR) {
      }
    }
  }
  ~PrepareLock() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  PrepareLock(const PrepareLock&) = delete;
  PrepareLock& operator=(const PrepareLock&) = delete;

 private:
  int fd_ = -1;
};

Result<std::string> readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return sysError("error reading pod manifest `" + path + "`");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One app image: its manifest from the store, checked for os/arch, and its rendered tree.
Result<stage0::PreparedApp> prepareImage(const image::StoreClient& store, const std::string& key,
                                         schema::ImageManifest& manifest) {
  stage0::PreparedApp app;
  app.imageId = key;
  Result<std::string> json = store.manifest(key);
  if (!json)
    return json.error().wrap("error getting the manifest");
  Result<schema::ImageManifest> parsed = schema::parseImageManifest(*json);
  if (!parsed)
    return parsed.error().wrap("error getting the manifest");
  if (Status s = schema::checkRktOsArch(parsed->labels); !s)
    return s.error().wrap("error preparing image " + key);
  Result<image::RenderResult> tree = store.render(key, false);
  if (!tree)
    return tree.error().wrap("error preparing image " + key + ": error rendering tree image");
  app.manifestJson = std::move(*json);
  app.treeId = tree->treeId;
  app.treePath = tree->path;
  manifest = std::move(*parsed);
  return app;
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

std::optional<RunContext> openRunContext(const Invocation& inv, const RunFlags& flags) {
  std::optional<ImageContext> images = openImageContext(inv);
  if (!images)
    return std::nullopt;
  RunContext ctx{std::move(*images), std::nullopt, true};
  Result<std::string> flavor = stage1::selectFlavor(flags.stage1, ctx.images.config.stage1);
  if (!flavor) {
    inv.error(flavor.error().wrap("cannot select the stage1").message);
    return std::nullopt;
  }
  inv.debug("stage1 flavor: " + *flavor);
  Result<stage1::Stage1Client> client = stage1::Stage1Client::open(*ctx.images.registry, *flavor);
  if (!client) {
    inv.error(client.error().message);
    return std::nullopt;
  }
  ctx.stage1.emplace(std::move(*client));
  return ctx;
}

Result<pod::Pod> preparePod(const Invocation& inv, RunFlags& flags, RunContext& ctx,
                            std::vector<stage0::PreparedApp>& apps, bool isRun) {
  const image::StoreClient& store = *ctx.images.store;
  Result<stage1::Capabilities> caps = ctx.stage1->describe();
  if (!caps)
    return caps.error();

  // The images first: nothing is created on disk for an image that cannot be found.
  std::vector<std::string> keys;
  std::string podManifestBytes;
  std::optional<schema::PodManifest> userManifest;
  if (!flags.podManifest.empty()) {
    Result<std::string> bytes = readWholeFile(flags.podManifest);
    if (!bytes)
      return bytes.error();
    Result<schema::PodManifest> pm = schema::parsePodManifest(*bytes);
    if (!pm)
      return pm.error().wrap("error unmarshaling pod manifest");
    for (const schema::RuntimeApp& ra : pm->apps) {
      if (ra.image.id.empty())
        return Error{"no image ID for app \"" + ra.name + "\""};
      Result<std::optional<std::string>> key = store.resolveId(ra.image.id);
      if (!key)
        return key.error().wrap("error getting the image manifest from store");
      if (!*key)
        return Error{"error getting the image manifest from store: image `" + ra.image.id +
                     "` is not in the store"};
      keys.push_back(**key);
    }
    podManifestBytes = std::move(*bytes);
    userManifest = std::move(*pm);
  } else {
    image::FinderOptions options;
    Result<image::PullPolicy> policy = image::parsePullPolicy(flags.pullPolicy);
    options.pullPolicy = policy ? *policy : image::PullPolicy::kNew;  // rkt: anything else = new
    options.insecure = inv.global.insecureOptions;
    options.config = &ctx.images.config;
    // rkt opens no keystore at all when image checks are off.
    trust::Keystore keystore(
        trust::KeystoreDirs::fromConfigDirs(inv.global.systemConfigDir, inv.global.localConfigDir));
    if (!inv.global.insecureOptions.skipImageCheck())
      options.keystore = &keystore;
    options.trustKeysFromHttps = inv.global.trustKeysFromHttps;
    options.debug = inv.global.debug;
    options.httpStallTimeout = inv.global.httpStallTimeout;
    options.withDeps = true;
    options.log = [&inv](const std::string& line) { imageLog(inv, line); };
    options.debugLog = options.log;
    image::Finder finder(store, *ctx.images.registry, options);
    for (stage0::AppSpec& app : flags.apps.apps) {
      Result<std::string> key = finder.findImage(app.image, app.signature);
      if (!key)
        return key.error();
      app.imageId = *key;
      keys.push_back(*key);
    }
  }
  const std::size_t appCount = keys.size();
  if (caps->maxApps > 0 && appCount > static_cast<std::size_t>(caps->maxApps))
    return Error{ctx.stage1->flavor() + " only supports " + std::to_string(caps->maxApps) +
                 " application" + (caps->maxApps == 1 ? "" : "s") + " per Pod for now"};

  pod::PodDirs dirs(ctx.images.dataDir);
  // A pod `rkt run` runs at once needs no fsync on its way to run/ (see pod::Durability);
  // `rkt prepare`'s prepared pod must survive a crash.
  Result<pod::Pod> pod =
      pod::Pod::create(dirs, isRun ? pod::Durability::Unsynced : pod::Durability::Synced);
  if (!pod)
    return pod.error().wrap("error creating new pod");
  if (isRun && !flags.uuidFileSave.empty()) {
    if (Status s = pod::writeUuidFile(flags.uuidFileSave, pod->uuid()); !s)
      return s.error().wrap("error saving pod UUID to file");
  }

  const std::string reason =
      flags.noOverlay ? "" : stage0::overlayUnusableReason(ctx.images.dataDir);
  ctx.overlay = !flags.noOverlay && reason.empty();
  if (!flags.noOverlay && !reason.empty())
    inv.err << inv.logPrefix << ": disabling overlay support: \"" << reason << "\"\n";
  if (flags.privateUsers)
    return Error{"--private-users is not supported by stage1 `" + ctx.stage1->flavor() + "`"};

  PrepareLock prepareLock(ctx.images.dataDir);
  std::vector<stage0::ResolvedImage> resolved;
  for (std::size_t i = 0; i < appCount; ++i) {
    schema::ImageManifest manifest;
    Result<stage0::PreparedApp> app = prepareImage(store, keys[i], manifest);
    if (!app)
      return app.error();
    apps.push_back(std::move(*app));
    resolved.push_back({keys[i], std::move(manifest)});
  }

  if (userManifest) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < appCount; ++i) {
      const schema::RuntimeApp& ra = userManifest->apps[i];
      if (!names.insert(ra.name).second)
        return Error{"multiple apps with same name " + ra.name};
      if (!ra.app && !resolved[i].manifest.app)
        return Error{"no app section in the pod manifest or the image manifest"};
      apps[i].name = ra.name;
    }
  } else {
    stage0::PodEnvironment env;
    env.inheritEnv = flags.inheritEnv;
    if (flags.inheritEnv)
      env.inherited = stage0::processEnvironment();
    env.fromFile = flags.setEnvFile;
    env.explicitEnv = flags.setEnv;
    stage0::ManifestOptions options;
    options.acVersion = RKT_VERSION_STRING;
    options.callerUid = ::getuid();
    options.callerGid = ::getgid();
    options.ports = flags.ports;
    Result<schema::PodManifest> pm =
        stage0::generatePodManifest(flags.apps, resolved, env, options);
    if (!pm)
      return pm.error();
    for (std::size_t i = 0; i < appCount; ++i)
      apps[i].name = pm->apps[i].name;
    Result<std::string> bytes = schema::serializePodManifest(*pm);
    if (!bytes)
      return bytes.error().wrap("error marshalling pod manifest");
    podManifestBytes = std::move(*bytes);
  }

  stage0::PrepareSpec spec;
  spec.podDir = pod->path();
  spec.manifestJson = std::move(podManifestBytes);
  spec.flavor = ctx.stage1->flavor();
  spec.useOverlay = ctx.overlay;
  spec.apps = apps;
  if (Status s = stage0::preparePodDir(spec); !s)
    return s.error().wrap("error setting up stage0");
  return pod;
}

int runPod(const Invocation& inv, const RunFlags& flags, RunContext& ctx, pod::Pod& pod,
           const std::vector<stage0::PreparedApp>& apps, bool overlay,
           const stage0::DnsConfig& dns) {
  if (Status s = stage0::enterPrivateMountNamespace(); !s)
    return inv.fail(s.error());
  if (Status s = stage0::setupPodForRun(pod.path(), apps, overlay, dns); !s)
    return inv.fail(s.error());
  stage0::becomeProcessGroupLeader();
  Result<int> lockFd = pod.lockFdForExec();
  if (!lockFd)
    return inv.fail(lockFd.error());
  ::setenv(pod::kLockFdEnv, std::to_string(*lockFd).c_str(), 1);
  if (::chdir(pod.path().c_str()) != 0)
    return inv.fail(sysError("cannot enter `" + pod.path() + "`"));

  stage1::RunRequest request;
  request.podDir = pod.path();
  request.uuid = pod.uuid().str();
  request.lockFd = *lockFd;
  request.debug = inv.global.debug;
  request.net = {flags.net};
  request.interactive = flags.interactive;
  request.hostname = flags.hostname.empty() ? "rkt-" + pod.uuid().str() : flags.hostname;
  request.dnsConfMode = {dns.resolvMode, dns.hostsMode};
  request.localConfig = inv.global.localConfigDir;
  request.insecure = {inv.global.insecureOptions.skipCapabilities(),
                      inv.global.insecureOptions.skipPaths(),
                      inv.global.insecureOptions.skipSeccomp()};
  if (!flags.ipc.empty())
    request.ipc = flags.ipc;  // else the protocol's default, "auto"

  inv.out.flush();
  inv.err.flush();
  std::cout.flush();
  std::cerr.flush();
  Result<int> status = ctx.stage1->run(request);
  if (!status)
    return inv.fail(status.error());
  return *status;
}

}  // namespace rkt::cli
