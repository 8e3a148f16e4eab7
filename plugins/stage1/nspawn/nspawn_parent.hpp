// `rkt run` stays the parent of systemd-nspawn instead of becoming it: without machined, the
// pod's cgroups are ours to remove, and only a process outside them that sees nspawn end can
// remove them as soon as the pod is over (rkt left them to gc). The pod's lifetime, exit status
// and signals stay as if `rkt run` were nspawn: nspawn holds the pod lock like its parent,
// dies with it (PR_SET_PDEATHSIG), gets the SIGTERM, SIGINT and SIGHUP sent to `rkt run`, and
// `rkt run` exits with nspawn's status or dies of the signal that killed it.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_PARENT_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_PARENT_HPP

#include <functional>

namespace rkt::nspawn {

/// Forks. The child runs `child`, which must exec (or throw: its error is printed and the
/// child exits 254). The parent waits for the child, passing on the signals above, runs
/// `afterExit` and returns the child's exit status; a child killed by a signal is reported by
/// the same signal killing the caller after `afterExit`.
int runAsParent(const std::function<void()>& child, const std::function<void()>& afterExit);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_NSPAWN_PARENT_HPP
