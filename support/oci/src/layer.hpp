// Applying one layer tar to the work tree of a squash (import.cpp).
#ifndef RKT_SUPPORT_OCI_LAYER_HPP
#define RKT_SUPPORT_OCI_LAYER_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/support/archive/image_limits.hpp"

namespace rkt::oci::detail {

/// A layer's whiteouts, which apply to the lower layers only.
struct Whiteouts {
  std::vector<std::string> opaque;   ///< directories whose lower content goes
  std::vector<std::string> removed;  ///< paths of lower layers that go
};

/// First pass over a layer tar: its whiteouts (clean relative paths) and the image limits of
/// every entry (docs/store.md, "Limits"); a name climbing out with `..` is an error.
Result<Whiteouts> scanWhiteouts(const std::string& blob, const std::string& context);

/// The image limits (docs/store.md, "Limits") for one layer entry (`name` cleaned, `symlink`
/// its target or null, `entries` its number in the layer).
Status checkLimits(const std::string& name, const char* symlink, std::uint64_t entries,
                   const archive::ImageLimits& limits);

/// When `name` (cleaned) is a whiteout marker, records what it removes in `out` and returns
/// true; an invalid marker (`.wh.`, `.wh..`) is an error naming the entry.
Result<bool> recordWhiteout(const std::string& name, Whiteouts& out);

/// Whether a layer entry is a whiteout marker (`.wh.<name>` or `.wh..wh..opq`).
bool isWhiteoutName(const std::string& path);

/// Applies the layer tar at `blob` (uncompressed or gzip/bzip2/xz) on top of `rootfs`: first
/// its whiteouts and opaque markers against what lower layers left, then its entries.
/// `context` starts every error ("cannot import OCI image `x`: layer `sha256:…`").
Status applyLayer(const std::string& blob, const std::string& rootfs, const std::string& context);

}  // namespace rkt::oci::detail

#endif  // RKT_SUPPORT_OCI_LAYER_HPP
