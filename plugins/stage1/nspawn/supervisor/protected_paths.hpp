// rkt's path protections (rkt-notes §6.6) and --readonly-rootfs, inside an app's rootfs once
// prepare-app made its mounts. rkt gave systemd ReadOnlyPaths= and InaccessiblePaths= in the
// app's unit; with no systemd in the pod the supervisor makes the same mounts itself.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_PROTECTED_PATHS_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_PROTECTED_PATHS_HPP

#include <vector>

#include "rkt/support/appexec/mounts.hpp"
#include "rkt/support/appexec/root_dir.hpp"

namespace rkt::nspawn {

/// The mounts that protect the API file systems already mounted in `root`: rkt's read-only
/// paths bound on themselves read-only, its inaccessible paths covered by an empty directory
/// or file of mode 0000 (systemd's way). Paths missing in the rootfs are skipped, as rkt's `-`
/// prefix did. First makes the app's /proc and /sys slaves of the pod's, so that the covers
/// stay the app's.
std::vector<appexec::Mount> protectedPathMounts(const appexec::RootDir& root);

/// The mount that makes the rootfs mount itself read-only; what is mounted on it (volumes,
/// /tmp, /run, /dev, /proc, /sys) keeps its own flags, so a writable volume stays writable.
appexec::Mount readOnlyRootfsMount();

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_PROTECTED_PATHS_HPP
