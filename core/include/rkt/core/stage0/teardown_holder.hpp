// Keeps the pod's mount namespace alive a little past `rkt run`, so that `rkt run` does not wait
// for its teardown. The last reference to a pod's overlay goes with the mount namespace stage0
// made (enterPrivateMountNamespace), and its unmount syncs the whole upper filesystem (overlayfs
// `sync_fs`: every dirty inode of the data directory's filesystem, then a disk flush); without a
// holder that happens in the exit of the process `rkt run` became (systemd-nspawn, or fly's
// app), which its parent waits for. rkt v1.30 never paid it there: it left the overlays mounted
// in the host's namespace until `rkt gc`.
#ifndef RKT_CORE_STAGE0_TEARDOWN_HOLDER_HPP
#define RKT_CORE_STAGE0_TEARDOWN_HOLDER_HPP

#include <sys/types.h>

namespace rkt::stage0 {

/// Starts a process that shares the caller's mount namespace (with the mounts made in it later)
/// and exits when the caller (which goes on to exec the stage1 or the app) has exited, whatever
/// the way: the namespace, and with it the pod's overlays, is then torn down in that process,
/// which nobody waits for. The holder is not the caller's child (a pod's `ppid` has the pod's
/// PID 1 as its only child): an intermediate child starts it and exits, and detach() reaps that
/// one, so the two forks run while the caller mounts the overlays. The holder leads a session of
/// its own and keeps none of the caller's descriptors (the pod lock, the terminal, the output
/// pipes: none may outlive the pod because of it). Durability is unchanged: the apps' own
/// fsyncs reach the disk as before; only the unmount's sync happens after `rkt run` returns.
/// Best effort: without pidfd_open (Linux < 5.3) or fork, the teardown stays where it was.
class MountNamespaceHolder {
 public:
  MountNamespaceHolder();
  /// detach().
  ~MountNamespaceHolder();
  MountNamespaceHolder(const MountNamespaceHolder&) = delete;
  MountNamespaceHolder& operator=(const MountNamespaceHolder&) = delete;

  /// Reaps the intermediate child. Call it before the caller execs (no stray child of its own
  /// for the next program).
  void detach();

 private:
  pid_t starter_ = -1;
};

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_TEARDOWN_HOLDER_HPP
