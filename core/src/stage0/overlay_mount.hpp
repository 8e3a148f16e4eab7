// The overlay of an app's tree: run's (pod_setup.cpp) and export's (pod/export.cpp). With
// --private-users the tree must look owned by the pod's range (docs/user-namespaces.md): its
// rootfs bound idmapped as the lower, where the kernel and the filesystem allow it.
#ifndef RKT_CORE_STAGE0_OVERLAY_MOUNT_HPP
#define RKT_CORE_STAGE0_OVERLAY_MOUNT_HPP

#include <string>
#include <vector>

#include "rkt/core/pod/private_users.hpp"
#include "rkt/core/result.hpp"

namespace rkt::stage0 {

/// The directories of one overlay.
struct OverlayLayers {
  std::string lower;  ///< the tree's rootfs
  std::string upper;
  std::string work;
  /// An image kept as layers: its layer directories, top first, stacked below `lower`.
  std::vector<std::string> lowerBelow;
};

/// `path` as an overlayfs option value (lowerdir=…): `\`, `,` and `:` escaped with `\`.
std::string overlayEscape(const std::string& path);

/// mount("overlay") of `layers` on `target`, the paths escaped as overlayfs wants. When the
/// options do not fit mount(2)'s one page (many layers with long paths), the layers are passed
/// one by one with fsconfig's `lowerdir+` (Linux 6.8); an older kernel refuses the mount then.
Status mountOverlay(const OverlayLayers& layers, const std::string& target);

/// The overlay of `layers` on `target` for a pod with `range`: the lower is `layers.lower` bound
/// idmapped (0 → range.shift) on `idmapPoint` (created, and removed once the overlay holds the
/// layer: nothing is left there). Where the kernel or the
/// tree's filesystem has no idmapped mounts, or overlayfs refuses an idmapped layer, the plain
/// lower is used: returns whether the lower is idmapped, so that the caller can shift what the
/// plain lower shows. Other failures are errors (nothing stays mounted).
Result<bool> mountOverlayInRange(const OverlayLayers& layers, const std::string& idmapPoint,
                                 const pod::UidRange& range, const std::string& target);

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_OVERLAY_MOUNT_HPP
