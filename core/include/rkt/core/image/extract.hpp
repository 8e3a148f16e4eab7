// `rkt image extract`: a stored image's blob unpacked into a directory.
#ifndef RKT_CORE_IMAGE_EXTRACT_HPP
#define RKT_CORE_IMAGE_EXTRACT_HPP

#include <string>

#include "rkt/core/result.hpp"

namespace rkt::image {

/// Unpacks the image blob at `blob` (a tar, any compression) into the existing directory `dir`,
/// replacing entries already there, with support/archive's hostile-archive-safe extraction and
/// the image rules render applies too (an entry that breaks one, or a limit, is an error naming
/// it: docs/store.md, "Limits"). With `rootfsOnly`, only `rootfs/` is unpacked, straight into
/// `dir`. `image` names the image in errors: "cannot extract image `<image>`: entry `…`: …"
/// (or that the internal module rkt-archive.so cannot be loaded).
Status extractImage(const std::string& blob, const std::string& dir, bool rootfsOnly,
                    const std::string& image);

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_EXTRACT_HPP
