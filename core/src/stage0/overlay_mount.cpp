// Overlay mounts of an app's tree (overlay_mount.hpp).
#include "stage0/overlay_mount.hpp"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/id_shift.hpp"

namespace rkt::stage0 {
std::string overlayEscape(const std::string& path) {
  std::string out;
  for (const char c : path) {
    if (c == '\\' || c == ',' || c == ':')
      out += '\\';
    out += c;
  }
  return out;
}

Status mountOverlay(const OverlayLayers& layers, const std::string& target) {
  const std::string options = "lowerdir=" + overlayEscape(layers.lower) +
                              ",upperdir=" + overlayEscape(layers.upper) +
                              ",workdir=" + overlayEscape(layers.work);
  if (::mount("overlay", target.c_str(), "overlay", 0, options.c_str()) != 0)
    return sysError("problem mounting overlay filesystem on `" + target + "`");
  return {};
}

Result<bool> mountOverlayInRange(const OverlayLayers& layers, const std::string& idmapPoint,
                                 const pod::UidRange& range, const std::string& target) {
  if (::mkdir(idmapPoint.c_str(), 0750) != 0 && errno != EEXIST)
    return sysError("cannot create `" + idmapPoint + "`");
  Status bound = posix::bindIdmapped(layers.lower, idmapPoint, range.shift, range.count);
  if (bound) {
    OverlayLayers mapped = layers;
    mapped.lower = idmapPoint;
    Status mounted = mountOverlay(mapped, target);
    // The lower no longer needs a mount point of its own: the overlay holds its own clone.
    ::umount2(idmapPoint.c_str(), MNT_DETACH);
    ::rmdir(idmapPoint.c_str());
    if (mounted)
      return true;
    // Overlayfs before Linux 5.19 refuses idmapped layers (EINVAL).
    if (!posix::idmapUnavailable(mounted.error()))
      return mounted.error();
  } else if (!posix::idmapUnavailable(bound.error())) {
    ::rmdir(idmapPoint.c_str());
    return bound.error().wrap("--private-users with overlay");
  }
  ::rmdir(idmapPoint.c_str());
  if (Status s = mountOverlay(layers, target); !s)
    return s.error();
  return false;
}

}  // namespace rkt::stage0
