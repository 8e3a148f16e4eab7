// One image layer extracted into its own directory tree in overlayfs' lower-layer form, so that
// a pod's rootfs stacks the layers of its image without a merged copy (docs/images.md,
// "Storage"). The cas store keeps one such tree per layer digest.
#ifndef RKT_SUPPORT_OCI_LAYER_TREE_HPP
#define RKT_SUPPORT_OCI_LAYER_TREE_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "rkt/base/result.hpp"

namespace rkt::oci {

struct LayerTreeStats {
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;  ///< file data written
};

/// Extracts the layer tar at `blob` (uncompressed or gzip/bzip2/xz) into the existing, empty
/// directory `dir` (which gets mode 0755 unless the layer has a root entry):
/// - `.wh.<name>` becomes a whiteout, the character device 0:0 `<name>` (unless the layer has
///   `<name>` itself, which then wins), `.wh..wh..opq` the xattr trusted.overlay.opaque=y on its
///   directory; the layer's own entries there stay;
/// - a hard link whose target is not in this layer (docker writes those when a lower file
///   gains a name) becomes a copy of the target as `lowersTopFirst` (the layers below, top
///   first) show it; one whose target is nowhere is an error;
/// - parents a whiteout or a copy needs and the layer lacks get the lower layers' attributes;
/// - entries go through support/archive's safe extraction, with the image limits.
/// Errors start with `context` and name the entry; `dir` then holds a partial tree.
Result<LayerTreeStats> extractLayerTree(const std::string& blob, const std::string& dir,
                                        const std::vector<std::string>& lowersTopFirst,
                                        const std::string& context);

/// docker2aci's /dev for an image kept as layers: creates `dev/` in `topDir` (the layer above
/// `layersTopFirst`) with rkt's links (stdin → /proc/self/fd/0, stdout and stderr →
/// /dev/console, fd → /proc/self/fd) where the layers have none; `/dev` must be a directory
/// there. What it adds carries the epoch as its time (the tree is the same on every render).
Status addDevLinksAbove(const std::vector<std::string>& layersTopFirst, const std::string& topDir);

}  // namespace rkt::oci

#endif  // RKT_SUPPORT_OCI_LAYER_TREE_HPP
