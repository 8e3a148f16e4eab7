// Pod garbage collection (`rkt gc`, `rkt rm`): mark, sweep and delete, as in rkt's "Pod
// lifecycle" mark-and-sweep.
//
//   mark:  run/ exited pods -> exited-garbage/; prepare/ aborted prepares -> garbage/;
//          prepared/ pods older than --expire-prepared -> garbage/.
//   sweep: exited-garbage/ pods whose grace period (from the mark rename, i.e. the directory's
//          ctime) is over, everything in garbage/, and embryo/ pods older than the grace period
//          (left by a process killed between creating and preparing them; not in rkt v1.30) are
//          locked exclusively (busy pods, e.g. an embryo its creator still holds, are skipped
//          for the next run) and deleted.
//
// Ages use the directory's ctime, which the marking rename sets. Functions take `now` so that
// callers (and tests) decide what time it is.
#ifndef RKT_CORE_POD_GC_HPP
#define RKT_CORE_POD_GC_HPP

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "rkt/core/pod/info.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

/// Pods moved by one mark step, and the pods that failed to move (losing a race to another
/// process is neither).
struct MarkReport {
  std::vector<Uuid> moved;
  std::vector<std::pair<Uuid, Error>> errors;
};

/// run/ -> exited-garbage/ for every exited pod (`moving pod "<uuid>" to garbage`).
Result<MarkReport> markExitedPods(const PodDirs& dirs);
/// prepare/ -> garbage/ for every aborted prepare (`moving failed prepare "<uuid>" to garbage`).
Result<MarkReport> markAbortedPrepares(const PodDirs& dirs);
/// prepared/ -> garbage/ for prepared pods whose directory ctime + expireAfter is before `now`.
Result<MarkReport> expirePreparedPods(const PodDirs& dirs, std::chrono::nanoseconds expireAfter,
                                      TimePoint now);

/// What a sweep would collect.
struct SweepSelection {
  /// embryos older than the grace period, exited-garbage pods past their grace period, then
  /// all garbage pods (none being deleted).
  std::vector<Uuid> collect;
  /// exited-garbage pods still within the grace period.
  std::vector<Uuid> withinGrace;
};

/// A zero grace period disables it (everything marked is collected), as in rkt.
Result<SweepSelection> selectForSweep(const PodDirs& dirs, std::chrono::nanoseconds gracePeriod,
                                      TimePoint now);

/// Deletes a pod: unmounts every mount below its directory (unmountAllUnder), removes
/// stage1/rootfs first (so a failure leaves the manifest for a retry), then the directory, with
/// rkt::posix::removeTree (any depth, immutable files, never into a mount that is left).
/// Takes the exclusive lock unless held (EWOULDBLOCK when another process holds it).
/// Preconditions: the pod is in exited-garbage/ or garbage/ (move it there first: see
/// markForRemoval), or an abandoned embryo. Afterwards the pod is Gone. A failure names the pod
/// and the entry that could not be removed.
Status deletePod(Pod& pod);

/// Unmounts every mount at or below `dir` in this mount namespace, deepest first: reads
/// /proc/self/mountinfo, makes each mount private (so no unmount propagates to peers outside),
/// detaches it (MNT_DETACH), and repeats until none is left. Mounts that are already gone are
/// fine. Never touches a mount outside `dir`: paths are compared after resolving `dir`, and each
/// mount point is opened component by component without following symlinks and acted on
/// through that descriptor (a symlink swapped in is refused; any length works). A missing `dir`
/// is not an error.
Status unmountAllUnder(const std::string& dir);

/// `rkt rm`'s first step: moves the pod where deletePod accepts it, or refuses (rkt's wording):
/// running -> `pod "<uuid>" is currently running`; embryo/preparing -> `... is currently being
/// prepared`; deleting/exited deleting -> `... is currently being deleted`; aborted prepare and
/// prepared -> garbage/; exited -> exited-garbage/; exited garbage, garbage -> unchanged.
Status markForRemoval(Pod& pod);

struct GcOptions {
  std::chrono::nanoseconds gracePeriod = std::chrono::minutes(30);
  std::chrono::nanoseconds expirePrepared = std::chrono::hours(24);
  /// Only the two mark steps (exited, aborted prepares).
  bool markOnly = false;
  TimePoint now = std::chrono::system_clock::now();
};

/// Receives what runGc does, in order, so the command can print rkt's messages.
class GcObserver {
 public:
  virtual ~GcObserver() = default;
  virtual void markedExited(const Uuid&) {}
  virtual void markedAbortedPrepare(const Uuid&) {}
  virtual void expiredPrepared(const Uuid&) {}
  virtual void withinGracePeriod(const Uuid&) {}
  /// The pod is locked exclusively and about to be deleted; stage1 cleanup (its gc
  /// entrypoint) belongs here. An error skips the pod (it stays for the next run).
  virtual Status collecting(Pod&) { return {}; }
  virtual void deleted(const Uuid&) {}
  /// A per-pod failure; the collection goes on.
  virtual void podError(const Uuid&, const Error&) {}
};

/// The whole of `rkt gc`: mark exited, mark aborted prepares, then unless markOnly: expire
/// prepared pods, sweep exited-garbage, sweep garbage. Fails only when a pod directory cannot be
/// read (rkt exits 254 then); per-pod failures go to the observer.
Status runGc(const PodDirs& dirs, const GcOptions& options, GcObserver& observer);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_GC_HPP
