// `rkt run` (rkt-notes §1.7) and `rkt run-prepared` (§1.9): rkt's stage0 Run for a pod in run/
// holding its exclusive lock, and the checks and re-render a prepared pod needs first.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "prepare_pod.hpp"
#include "rkt/core/engine.hpp"
#include "rkt/core/net/forwarded_ports.hpp"
#include "rkt/core/net/pod_network.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/pod/private_users.hpp"
#include "rkt/core/stage0/pod_setup.hpp"
#include "rkt/core/stage0/teardown_holder.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt {
namespace {

// The pod's contained networks (rkt-notes §5), when its flavor runs pods in the core's netns,
// with the pod manifest's forwarded ports. Gives the DNS the networks supplied, if any.
Result<net::PodNetworkSetup> setupNetwork(const Engine& engine, const RunOptions& options,
                                          const stage1::Stage1& stage1, const pod::Pod& pod) {
  Result<net::NetSelection> selection = net::parseNetSelection({options.net});
  if (!selection)
    return selection.error();
  Result<stage1::Capabilities> caps = stage1.describe();
  if (!caps)
    return caps.error();
  // Flavors that do not run pods in the core's netns (fly: the host's network) get none.
  if (!caps->networking || selection->mode != net::NetSelection::Mode::kContained)
    return net::PodNetworkSetup{};
  Result<std::string> manifestJson = posix::readFileAt(pod.dirFd(), pod::layout::kPodManifest);
  if (!manifestJson)
    return manifestJson.error().wrap("cannot read the pod manifest");
  Result<schema::PodManifest> manifest = schema::parsePodManifest(*manifestJson);
  if (!manifest)
    return manifest.error().wrap("cannot read the pod manifest");
  Result<std::vector<net::ForwardedPort>> ports = net::forwardedPorts(*manifest);
  if (!ports)
    return ports.error().wrap("error initializing forwarding ports");
  const auto warn = [&engine](const std::string& line) { engine.log(LogKind::kNotice, line); };
  Result<std::vector<net::LoadedNet>> nets =
      net::loadNetworks(*selection, engine.options().configDirs.local, warn);
  if (!nets)
    return nets.error().wrap("stage1: failed to setup network");
  net::PodNetworkOptions o;
  o.podDir = pod.path();
  o.uuid = pod.uuid().str();
  o.stateRoot = engine.dataDir() + "/net";
  o.localConfig = engine.options().configDirs.local;
  o.warn = warn;
  o.ports = std::move(*ports);
  o.ignoreDns = options.dns.resolvMode != "default";  // rkt: --dns of any kind
  return net::setupPodNetwork(const_cast<Engine&>(engine).registry(), o, *nets);
}

// rkt's stage0 Run: private mount namespace, overlay mounts, DNS files, RKT_LOCK_FD, then the
// stage1's `run`. Returns the pod's exit status (fly does not return on success).
Result<int> runPod(const Engine& engine, const RunOptions& options, const stage1::Stage1& stage1,
                   pod::Pod& pod, const std::vector<stage0::PreparedApp>& apps, bool overlay,
                   const std::optional<stage0::Stage1Image>& stage1Image) {
  Result<std::optional<pod::UidRange>> privateUsers = pod::readPrivateUsers(pod.dirFd());
  if (!privateUsers)
    return privateUsers.error();
  // The pod's network, in the host's mount namespace (its netns mount must outlive this
  // process, for gc), before the stage1 runs the pod in it.
  Result<net::PodNetworkSetup> network = setupNetwork(engine, options, stage1, pod);
  if (!network)
    return network.error();
  stage0::DnsConfig dns = options.dns;
  if (!network->dnsNetwork.empty()) {  // resolv mode default: the network's DNS, if any
    dns.network = network->dnsNetwork;
    dns.nameservers = network->dns.nameservers;
    dns.search = network->dns.search;
    dns.options = network->dns.options;
    dns.domain = network->dns.domain;
  }
  if (Status s = stage0::enterPrivateMountNamespace(); !s)
    return s.error();
  // The overlays' unmount (and its sync) after `rkt run` has returned.
  stage0::MountNamespaceHolder holder;
  const stage0::SetupNotice notice = [&engine](const std::string& line) {
    engine.log(LogKind::kNotice, line);
  };
  if (Status s = stage0::setupPodForRun(pod.path(), apps, overlay, dns, *privateUsers, notice,
                                        stage1Image);
      !s)
    return s.error();
  stage0::becomeProcessGroupLeader();
  Result<int> lockFd = pod.lockFdForExec();
  if (!lockFd)
    return lockFd.error();
  ::setenv(pod::kLockFdEnv, std::to_string(*lockFd).c_str(), 1);
  if (::chdir(pod.path().c_str()) != 0)
    return sysError("cannot enter `" + pod.path() + "`");

  const EngineOptions& global = engine.options();
  stage1::RunRequest request;
  request.podDir = pod.path();
  request.uuid = pod.uuid().str();
  request.lockFd = *lockFd;
  request.debug = global.debug;
  request.net = {options.net};
  request.interactive = options.interactive;
  request.hostname = options.hostname.empty() ? "rkt-" + pod.uuid().str() : options.hostname;
  request.dnsConfMode = {options.dns.resolvMode, options.dns.hostsMode};
  request.localConfig = global.configDirs.local;
  request.insecure = {global.insecure.skipCapabilities(), global.insecure.skipPaths(),
                      global.insecure.skipSeccomp()};
  if (!options.ipc.empty())
    request.ipc = options.ipc;  // else the protocol's default, "auto"
  if (*privateUsers)
    request.privateUsers = pod::formatUidRange(**privateUsers);

  holder.detach();
  engine.flushOutput();
  return stage1.run(request);
}

}  // namespace

namespace engine {

// The path of tree `treeId` as the store lists it, when it still has it.
std::optional<std::string> recordedTreePath(const image::StoreClient& store,
                                            const std::string& treeId,
                                            std::vector<std::string>* lowerDirs) {
  if (treeId.empty())
    return std::nullopt;
  Result<std::vector<image::TreeRecord>> trees = store.listTrees();
  if (!trees)
    return std::nullopt;
  for (const image::TreeRecord& t : *trees) {
    if (t.treeId == treeId) {
      if (lowerDirs != nullptr)
        *lowerDirs = t.lowerDirs;
      return t.path;
    }
  }
  return std::nullopt;
}

}  // namespace engine

Result<int> Engine::run(const PrepareOptions& prepare, const RunOptions& run) {
  Result<engine::PreparedPod> prepared =
      engine::preparePod(*this, prepare, pod::Durability::Unsynced, engine::PodPurpose::kRun);
  if (!prepared)
    return prepared.error();
  if (Status s = prepared->pod.toRun(); !s)
    return s.error().wrap("error transitioning to run");
  return runPod(*this, run, *prepared->stage1, prepared->pod, prepared->apps, prepared->overlay,
                prepared->stage1Image);
}

Result<int> Engine::runPrepared(const std::string& uuid, const RunOptions& run) {
  if (Status s = openStore(); !s)
    return s.error();
  Result<pod::Pod> pod = pod::openPod(podDirs(), uuid);
  if (!pod)
    return pod.error();
  if (pod->state() != pod::State::Prepared)
    return Error{"pod \"" + pod->uuid().str() + "\" is not prepared"};

  Result<std::unique_ptr<stage1::Stage1>> s1 = stage1ForPod(*pod, /*runFollows=*/true);
  if (!s1)
    return s1.error();

  Result<std::string> manifestJson = posix::readFileAt(pod->dirFd(), pod::layout::kPodManifest);
  if (!manifestJson)
    return manifestJson.error().wrap("cannot read the prepared pod's manifest");
  Result<schema::PodManifest> manifest = schema::parsePodManifest(*manifestJson);
  if (!manifest)
    return manifest.error().wrap("cannot read the pod manifest");
  if (run.interactive && manifest->apps.size() > 1)
    return Error{"interactive option only supports pods with one app"};
  const bool overlay = ::faccessat(pod->dirFd(), pod::layout::kOverlayPrepared, F_OK, 0) == 0;
  if (overlay) {
    const std::string reason = stage0::overlayUnusableReason(dataDir());
    if (!reason.empty())
      return Error{"unable to run prepared overlay-enabled pod: overlay not supported"};
  }

  pod->setDurability(pod::Durability::Unsynced);
  if (Status s = pod->toRun(); !s)
    return s.error().wrap("error transitioning to run");

  std::vector<std::string> names;
  for (const schema::RuntimeApp& ra : manifest->apps)
    names.push_back(ra.name);
  Result<std::vector<stage0::PreparedApp>> apps = stage0::readPreparedApps(pod->path(), names);
  if (!apps)
    return apps.error();
  if (overlay) {
    for (stage0::PreparedApp& app : *apps) {
      Result<image::RenderResult> tree = store().render(app.imageId, false);
      if (tree) {
        if (Status s = engine::checkTree(store(), app.imageId); !s)
          return s.error();
        app.treePath = tree->path;
        app.treeId = tree->treeId;
        app.lowerDirs = tree->lowerDirs;
        continue;
      }
      // As rkt, a prepared pod runs from the tree it recorded: `image gc` may have removed
      // the image (no running pod used it) and kept the tree (this pod refers to it).
      std::optional<std::string> recorded =
          engine::recordedTreePath(store(), app.treeId, &app.lowerDirs);
      if (!recorded)
        return tree.error().wrap("error rendering tree image");
      app.treePath = *recorded;
    }
  }
  Result<std::optional<stage0::Stage1Image>> stage1Image = stage0::readStage1Image(pod->path());
  if (!stage1Image)
    return stage1Image.error();
  if (*stage1Image) {
    stage0::Stage1Image& image = **stage1Image;
    image.isRootfs = (*s1)->flavor() == stage1::kImageFlavor;
    if (overlay && image.isRootfs) {
      // The tree the pod recorded, which `image gc` keeps while the pod exists.
      std::optional<std::string> recorded = engine::recordedTreePath(store(), image.treeId);
      if (!recorded)
        return Error{"cannot find the stage1 tree `" + image.treeId + "` in the tree store"};
      image.treePath = *recorded;
    }
  }
  return runPod(*this, run, **s1, *pod, *apps, overlay, *stage1Image);
}

}  // namespace rkt
