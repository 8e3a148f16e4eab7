// Mount points of the calling process's mount namespace (/proc/self/mountinfo), and the
// mount operations an app's mounts need on top of mount(2).
#ifndef RKT_SUPPORT_APPEXEC_MOUNT_TABLE_HPP
#define RKT_SUPPORT_APPEXEC_MOUNT_TABLE_HPP

#include <string>
#include <vector>

namespace rkt::appexec {

/// Mount points (field 5 of mountinfo, unescaped), in the kernel's order.
std::vector<std::string> readMountPoints();

/// Whether `path` (made canonical with realpath(3)) is a mount point.
bool isMountPoint(const std::string& path);

/// Makes the mount whose root `fd` (an O_PATH descriptor) refers to read-only; with
/// `recursive`, every mount below it too. Other per-mount flags (nosuid, nodev, noexec, atime)
/// are kept. Uses mount_setattr(2), or remounts one by one on kernels without it.
void makeReadOnly(int fd, const std::string& shownPath, bool recursive);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_MOUNT_TABLE_HPP
