// The pod lock a stage1's `run` receives (rkt's RKT_LOCK_FD): it must be an open descriptor of
// the pod directory itself, which the pod's processes keep for the pod's whole life.
#ifndef RKT_SUPPORT_APPEXEC_POD_LOCK_HPP
#define RKT_SUPPORT_APPEXEC_POD_LOCK_HPP

#include <string>

namespace rkt::appexec {

/// Throws RKT_E_INVALID `invalid run request: field "lock_fd": …` when `fd` is not open or is
/// not `podDir` (by device and inode).
void checkPodLockFd(int fd, const std::string& podDir);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_POD_LOCK_HPP
