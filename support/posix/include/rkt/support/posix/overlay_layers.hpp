// Directory trees in overlayfs' lower-layer form (an image's layers as the store keeps them,
// docs/images.md "Storage"): a whiteout is a character device 0:0, an opaque directory carries
// the xattr trusted.overlay.opaque=y. What the kernel does when it stacks them, done by hand
// where it cannot: looking a path up through the stack, and merging the stack into one tree
// (rootfs without overlay, `rkt image export`).
#ifndef RKT_SUPPORT_POSIX_OVERLAY_LAYERS_HPP
#define RKT_SUPPORT_POSIX_OVERLAY_LAYERS_HPP

#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

#include "rkt/base/result.hpp"

namespace rkt::posix {

inline constexpr char kOverlayOpaqueXattr[] = "trusted.overlay.opaque";

/// Whether `st` is an overlayfs whiteout (a character device 0:0).
bool isWhiteout(const struct stat& st);

/// The layer directory of `layersTopFirst` that provides `rel` (a clean relative path, no `..`)
/// in the stacked view, or nullopt when no layer does (absent, whited out, hidden by an opaque
/// directory, or below a non-directory of an upper layer). Symlinks on the way are not followed
/// (a symlinked parent hides the path, as in a tar).
std::optional<std::string> findInLayers(const std::vector<std::string>& layersTopFirst,
                                        const std::string& rel);

/// Copies one entry (regular file, symlink, device, FIFO; not a directory) from `src` to `dest`
/// (which must not exist): content, mode, owner (as root), the `user.`/`security.` xattrs and
/// times. Errors name `what`.
Status copyEntry(const std::string& src, const std::string& dest, const std::string& what);

/// Copies the owner, mode, `user.`/`security.` xattrs and times of `src` onto `dest`.
Status copyAttributes(const std::string& src, const std::string& dest, const std::string& what);

/// Merges `layersTopFirst` into the existing directory `dest`, bottom layer first, as overlayfs
/// shows them: whiteouts remove, opaque directories hide the lower content, a non-directory
/// replaces a lower directory; hard links within a layer stay links. The root of `dest` gets the
/// top layer's attributes. On error `dest` holds part of the merge.
Status mergeLayers(const std::vector<std::string>& layersTopFirst, const std::string& dest);

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_OVERLAY_LAYERS_HPP
