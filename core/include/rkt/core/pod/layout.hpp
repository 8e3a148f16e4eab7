// Every entry of the pod directory ($POD), relative to it, in one namespace: the ones a stage1
// reads or writes come from the SDK (rkt/sdk/pod_layout.hpp, rkt::protocol::layout); the ones
// only the core uses (stage0's bookkeeping, the overlay directories) are below.
//
//   posix::readFileAt(pod.dirFd(), pod::layout::appImageManifest(app));
#ifndef RKT_CORE_POD_LAYOUT_HPP
#define RKT_CORE_POD_LAYOUT_HPP

#include <string>

#include "rkt/sdk/pod_layout.hpp"

namespace rkt::pod::layout {

using namespace rkt::protocol::layout;  // NOLINT: this namespace extends the SDK's

/// Taken when the pod is prepared, as rkt's stage0 does.
inline constexpr char kPodLock[] = "pod.lck";
/// Written last by prepare; its mtime is the pod's creation time (rkt >= 1.20).
inline constexpr char kPodCreated[] = "pod-created";
/// The uid range of a pod run with --private-users ("<shift>:<count>").
inline constexpr char kPrivateUsersPrepared[] = "private-users-prepared";
/// The parent of kStage1Rootfs.
inline constexpr char kStage1Dir[] = "stage1";
/// The stage1 image's store key (ours: `image gc` keeps the image while the pod runs).
inline constexpr char kStage1ImageId[] = "stage1ImageID";

/// The image ID (the store key) an app was prepared from.
inline std::string appImageId(const std::string& app) {
  return appInfoDir(app) + "/id";
}

/// The overlay directories of the rendered tree `treeId`: one upper and one work directory per
/// app using it.
inline std::string overlayDir(const std::string& treeId) {
  return "overlay/" + treeId;
}
inline std::string overlayUpper(const std::string& treeId, const std::string& app) {
  return overlayDir(treeId) + "/upper/" + app;
}
inline std::string overlayWork(const std::string& treeId, const std::string& app) {
  return overlayDir(treeId) + "/work/" + app;
}
/// --private-users: where the tree's rootfs is bound idmapped before the overlay takes it as its
/// lower (removed right after: overlayfs keeps its own clone of the layer).
inline std::string overlayLower(const std::string& treeId, const std::string& app) {
  return overlayDir(treeId) + "/lower/" + app;
}
/// The stage1 rootfs of an overlay pod whose stage1 came from an image (kStage1TreeStoreId):
/// the upper directory of that image's overlay.
inline std::string overlayStage1Rootfs(const std::string& treeId) {
  return overlayDir(treeId) + "/upper";
}

}  // namespace rkt::pod::layout

#endif  // RKT_CORE_POD_LAYOUT_HPP
