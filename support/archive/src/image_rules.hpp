// The rules an image's entries must follow (internal), the same for import, render and
// `rkt image extract`: an image passes them everywhere or is refused everywhere, by an error
// naming the entry, instead of entries one command drops silently and another refuses.
//
// An ACI holds a regular file `manifest` and a directory `rootfs` with the root filesystem
// below it, each path once; names never climb out with `..`. Within the image, nothing lies
// below an entry that is not a directory (a symlink, a file: writing there would go through
// it or fail), an entry that earlier entries needed as a directory is one, and a hard link
// names an earlier entry below `rootfs/` that is not a directory. Sizes stay within
// ImageLimits. Names are compared after cleaning, as appc's filepath.Clean does: a leading `/`
// makes a name unrecognized ("/manifest" is not the manifest).
//
// Memory: one PathTree node per path component the image introduces.
#ifndef RKT_SUPPORT_ARCHIVE_SRC_IMAGE_RULES_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_IMAGE_RULES_HPP

#include "path.hpp"

#include <rkt/base/result.hpp>
#include <rkt/support/archive/image_limits.hpp>
#include <rkt/support/archive/path_tree.hpp>

#include <archive_entry.h>

#include <cstdint>

namespace rkt::archive::detail {

class ImageRules {
 public:
  explicit ImageRules(const ImageLimits& limits) : limits_(limits) {}

  /// Checks the next entry (`cp`: its cleaned name) and records it. The error says what is
  /// wrong; the caller names the entry.
  Status entry(archive_entry* e, const CleanPath& cp);
  /// After the last entry: the image has its manifest and its rootfs directory.
  Status finish() const;

 private:
  enum Tag : std::uint8_t { kImplied, kDirectory, kSymlink, kOther };

  Status checkLimits(const Parts& parts) const;
  /// The tag of the hard link's target (an earlier non-directory entry below rootfs/).
  Result<std::uint8_t> hardLinkTarget(const char* target) const;

  ImageLimits limits_;
  PathTree tree_;
  bool haveManifest_ = false;
};

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_IMAGE_RULES_HPP
