// What an image may hold (docs/store.md, "Limits"). Import refuses an image beyond them, and
// extraction with image rules (ExtractOptions::imageRules: render, `rkt image extract`) refuses
// it again, so an image stored before the limits existed cannot get past them either. Each
// refusal is one line naming the image and the entry: "cannot import `x.aci`: entry
// `rootfs/a/a/…`: path depth 40001 exceeds the limit of 1024".
//
// The defaults are far beyond what real images hold (a Debian or Fedora root has paths a
// couple of hundred bytes long, fewer than 20 levels deep, a few 10,000s of entries) and keep
// the memory and time a hostile image can cost small: every table built while reading an image
// grows with its entries and their names.
#ifndef RKT_SUPPORT_ARCHIVE_IMAGE_LIMITS_HPP
#define RKT_SUPPORT_ARCHIVE_IMAGE_LIMITS_HPP

#include <cstdint>

namespace rkt::archive {

struct ImageLimits {
  /// Levels of a path below `rootfs/` ("/usr/bin/sh" is 3).
  std::uint32_t maxPathDepth = 1024;
  /// Bytes of a path as the image's apps see it ("/usr/bin/sh" is 11), and of a symlink's
  /// target: PATH_MAX less its NUL, so that any path of the image can be named in one call.
  std::uint32_t maxPathLength = 4095;
  /// Bytes of one name in a path (NAME_MAX).
  std::uint32_t maxNameLength = 255;
  /// Entries, counting the directories that entries imply without listing them.
  std::uint64_t maxEntries = 1000000;
  /// Bytes of the `manifest` entry (docker-converted images carry a whole pathWhitelist in it).
  std::uint64_t maxManifestSize = std::uint64_t{64} << 20;
};

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_IMAGE_LIMITS_HPP
