// The stage1 rootfs of a pod whose stage1 image is its rootfs (the `aci` flavor), for the
// entrypoints called after `run`. With overlay, that rootfs is mounted only in the mount
// namespace the pod runs in (stage0 runs every pod in a private one): `enter`, `stop` and `gc`
// see it again through a read-only overlay of the pod's upper layer on the image's tree, in a
// private mount namespace of their own, so nothing is mounted on the host.
#ifndef RKT_CORE_SRC_ENGINE_STAGE1_VIEW_HPP
#define RKT_CORE_SRC_ENGINE_STAGE1_VIEW_HPP

#include <functional>

#include "rkt/core/engine.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"

namespace rkt::engine {

/// Whether `pod` needs the view: its stage1 is an image's rootfs on overlay.
bool needsStage1View(const pod::Pod& pod, const std::string& flavor);

/// In the calling process: a private mount namespace (once), then the read-only view on
/// $POD/stage1/rootfs. For an op that replaces the process (enter).
Status mountStage1View(Engine& engine, const pod::Pod& pod);

/// `op` in a child process that mounts the view first; the child's Status comes back (its
/// message through a pipe). The caller's mount namespace is left alone.
Status inStage1View(Engine& engine, const pod::Pod& pod, const std::function<Status()>& op);

}  // namespace rkt::engine

#endif  // RKT_CORE_SRC_ENGINE_STAGE1_VIEW_HPP
