// Overlay mounts of an app's tree (overlay_mount.hpp).
#include "stage0/overlay_mount.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/id_shift.hpp"
#include "rkt/support/posix/unique_fd.hpp"

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

namespace {

// mount(2) copies at most one page of options.
constexpr size_t kMaxMountOptions = 4095;

// The new mount API, one layer per fsconfig call: no length limit but the kernel's 500 layers.
Status mountOverlayByParts(const OverlayLayers& layers, const std::string& target) {
  const std::string what = "problem mounting overlay filesystem on `" + target + "`";
  posix::UniqueFd fs(static_cast<int>(::syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)));
  if (!fs.valid())
    return sysError(what);
  auto set = [&fs](const char* key, const std::string& value) {
    return ::syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, key, value.c_str(), 0) == 0;
  };
  bool ok = set("lowerdir+", layers.lower);
  for (const std::string& l : layers.lowerBelow)
    ok = ok && set("lowerdir+", l);
  ok = ok && set("upperdir", layers.upper) && set("workdir", layers.work) &&
       ::syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0;
  if (!ok)
    return sysError(what + " (" + std::to_string(layers.lowerBelow.size() + 1) + " layers)");
  posix::UniqueFd mnt(static_cast<int>(::syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC, 0)));
  if (!mnt.valid() || ::syscall(SYS_move_mount, mnt.get(), "", AT_FDCWD, target.c_str(),
                                MOVE_MOUNT_F_EMPTY_PATH) != 0)
    return sysError(what);
  return {};
}

}  // namespace

Status mountOverlay(const OverlayLayers& layers, const std::string& target) {
  std::string lower = overlayEscape(layers.lower);
  for (const std::string& l : layers.lowerBelow)
    lower += ":" + overlayEscape(l);
  const std::string options = "lowerdir=" + lower + ",upperdir=" + overlayEscape(layers.upper) +
                              ",workdir=" + overlayEscape(layers.work);
  if (options.size() > kMaxMountOptions)
    return mountOverlayByParts(layers, target);
  if (::mount("overlay", target.c_str(), "overlay", 0, options.c_str()) != 0)
    return sysError("problem mounting overlay filesystem on `" + target + "`");
  return {};
}

Result<bool> mountOverlayInRange(const OverlayLayers& layers, const std::string& idmapPoint,
                                 const pod::UidRange& range, const std::string& target) {
  if (!layers.lowerBelow.empty()) {
    // Layers are not bound idmapped one by one: the caller shifts what the stack shows.
    if (Status s = mountOverlay(layers, target); !s)
      return s.error();
    return false;
  }
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
