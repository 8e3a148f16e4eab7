// Applying one layer tar to the work tree of a squash (import.cpp).
#ifndef RKT_SUPPORT_OCI_LAYER_HPP
#define RKT_SUPPORT_OCI_LAYER_HPP

#include <string>

#include "rkt/base/result.hpp"

namespace rkt::oci::detail {

/// Applies the layer tar at `blob` (uncompressed or gzip/bzip2/xz) on top of `rootfs`: first
/// its whiteouts and opaque markers against what lower layers left, then its entries.
/// `context` starts every error ("cannot import OCI image `x`: layer `sha256:…`").
Status applyLayer(const std::string& blob, const std::string& rootfs, const std::string& context);

}  // namespace rkt::oci::detail

#endif  // RKT_SUPPORT_OCI_LAYER_HPP
