// Trees for a pod in a user namespace (--private-users): uid/gid 0..count-1 inside the pod are
// shift..shift+count-1 on the host, so what the pod owns must be owned by the shifted ids.
#ifndef RKT_SUPPORT_POSIX_ID_SHIFT_HPP
#define RKT_SUPPORT_POSIX_ID_SHIFT_HPP

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "rkt/base/result.hpp"

namespace rkt::posix {

/// Adds `shift` to the owner and the group of `root` and of every entry below it (never
/// following a symlink nor leaving root's filesystem), keeping setuid/setgid bits chown clears.
/// Ids already at or above `shift` are left alone, so a second pass changes nothing.
Status shiftOwnership(const std::string& root, uid_t shift);

/// Mounts `source` on `target` (a directory) as an idmapped bind (open_tree + mount_setattr
/// MOUNT_ATTR_IDMAP): ids 0..count-1 on disk are shift..shift+count-1 through the mount, and
/// what is written through it as shift+n is stored as n. The error names the kernel's refusal;
/// idmapUnavailable() tells it from other failures.
/// Test hook: with RKT_POSIX_NO_IDMAP set in the environment it refuses every mount (EINVAL,
/// as a filesystem without idmapped mounts), so the callers' fallbacks run on any kernel.
Status bindIdmapped(const std::string& source, const std::string& target, uid_t shift,
                    std::uint32_t count);

/// Whether `error` (from bindIdmapped, or from mounting an overlay on an idmapped layer) says
/// the kernel or the filesystem has no idmapped mounts: EINVAL, ENOSYS, EOPNOTSUPP or EPERM.
bool idmapUnavailable(const Error& error);

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_ID_SHIFT_HPP
