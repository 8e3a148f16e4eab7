// Applying one layer tar to the work tree of a squash (import.cpp).
#ifndef RKT_SUPPORT_OCI_LAYER_HPP
#define RKT_SUPPORT_OCI_LAYER_HPP

#include <string>
#include <vector>

#include "rkt/base/result.hpp"

namespace rkt::oci::detail {

/// A layer's whiteouts, which apply to the lower layers only.
struct Whiteouts {
  std::vector<std::string> opaque;   ///< directories whose lower content goes
  std::vector<std::string> removed;  ///< paths of lower layers that go
};

/// First pass over a layer tar: its whiteouts (clean relative paths) and the image limits of
/// every entry (docs/store.md, "Limits"); a name climbing out with `..` is an error.
Result<Whiteouts> scanWhiteouts(const std::string& blob, const std::string& context);

/// Whether a layer entry is a whiteout marker (`.wh.<name>` or `.wh..wh..opq`).
bool isWhiteoutName(const std::string& path);

/// Applies the layer tar at `blob` (uncompressed or gzip/bzip2/xz) on top of `rootfs`: first
/// its whiteouts and opaque markers against what lower layers left, then its entries.
/// `context` starts every error ("cannot import OCI image `x`: layer `sha256:…`").
Status applyLayer(const std::string& blob, const std::string& rootfs, const std::string& context);

}  // namespace rkt::oci::detail

#endif  // RKT_SUPPORT_OCI_LAYER_HPP
