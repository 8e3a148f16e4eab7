// The stage1 ops on existing pods: `rkt enter` (rkt-notes §1.11), `rkt stop` (§1.12), and the
// stage1's part of removing a pod (`rkt rm`, `rkt gc`, §1.13–1.14).
#include <utility>

#include "rkt/core/engine.hpp"
#include "rkt/core/net/pod_network.hpp"
#include "rkt/core/pod/gc.hpp"
#include "stage1_view.hpp"

namespace rkt {
namespace {

// `"<uuid>"`: how rkt quotes pod UUIDs (Go's %q).
std::string quoted(const pod::Uuid& uuid) {
  return "\"" + uuid.str() + "\"";
}

}  // namespace

Result<int> Engine::enter(const pod::Pod& pod, const EnterOptions& options) {
  Result<std::unique_ptr<stage1::Stage1>> s1 = stage1ForPod(pod);
  if (!s1)
    return s1.error();
  if (engine::needsStage1View(pod, (*s1)->flavor())) {
    if (Status s = engine::mountStage1View(*this, pod); !s)
      return s.error();
  }
  flushOutput();
  return (*s1)->enter(stage1::EnterRequest{pod.path(), pod.uuid().str(), options.pid, options.app,
                                           options.command, options.interactive});
}

Status Engine::stop(const pod::Pod& pod, bool force) {
  Result<std::unique_ptr<stage1::Stage1>> s1 = stage1ForPod(pod);
  if (!s1)
    return s1.error();
  const stage1::StopRequest request{pod.path(), pod.uuid().str(), force};
  if (engine::needsStage1View(pod, (*s1)->flavor()))
    return engine::inStage1View(*this, pod, [&] { return (*s1)->stop(request); });
  return (*s1)->stop(request);
}

void Engine::releaseStage1(const pod::Pod& pod) {
  if (pod.phase() != pod::Phase::ExitedGarbage)
    return;  // never ran: the stage1 set nothing up
  // The stage1 releases what it set up (networks, cgroups...) while the pod directory, and
  // what the stage1 wrote there, still exist. Failing that must not keep the pod forever.
  if (Result<std::unique_ptr<stage1::Stage1>> s1 = stage1ForPod(pod); !s1) {
    log(LogKind::kNotice, "skipping stage1 GC: " + s1.error().message);
  } else if (!(*s1)->has("gc")) {
    log(LogKind::kDebug, "stage1 `" + (*s1)->flavor() + "` has no gc op: nothing to release");
  } else {
    stage1::GcRequest request{pod.path(), pod.uuid().str(), options().debug,
                              options().configDirs.local};
    const stage1::Stage1& stage1 = **s1;
    Status s = engine::needsStage1View(pod, stage1.flavor())
                   ? engine::inStage1View(*this, pod, [&] { return stage1.gc(request); })
                   : stage1.gc(request);
    if (!s) {
      log(LogKind::kNotice,
          "problem performing stage1 GC on " + quoted(pod.uuid()) + ": " + s.error().message);
    }
  }
  // The pod's networks (DEL in reverse) and its netns, whatever the stage1 did: the core set
  // them up. Works after a SIGKILL of the pod or of rkt.
  net::PodNetworkOptions o;
  o.podDir = pod.path();
  o.uuid = pod.uuid().str();
  o.stateRoot = dataDir() + "/net";
  o.localConfig = options().configDirs.local;
  o.warn = [this](const std::string& line) { log(LogKind::kNotice, line); };
  net::teardownPodNetwork(registry(), o);
}

Status Engine::removePod(pod::Pod& pod) {
  releaseStage1(pod);
  if (Status s = pod::deletePod(pod); !s)
    return s.error().wrap("unable to remove pod " + quoted(pod.uuid()));
  return {};
}

}  // namespace rkt
