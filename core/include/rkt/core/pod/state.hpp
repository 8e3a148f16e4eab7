// Pod states as rkt encodes them on disk: the directory a pod lives in ($DATA/pods/<phase>/<uuid>)
// combined with whether its directory is flock(2)ed exclusively (see rkt's "Pod lifecycle").
//
//   directory        locked            unlocked
//   embryo           embryo            embryo           (lock meaningless)
//   prepare          preparing         aborted prepare
//   prepared         prepared          prepared         (lock meaningless)
//   run              running           exited
//   exited-garbage   exited deleting   exited garbage
//   garbage          deleting          garbage
#ifndef RKT_CORE_POD_STATE_HPP
#define RKT_CORE_POD_STATE_HPP

#include <string_view>
#include <vector>

namespace rkt::pod {

/// The directory a pod is in. Declared in the only order pods move (every transition goes to a
/// later phase), which lets a single forward scan find a pod that is being moved concurrently.
enum class Phase { Embryo, Prepare, Prepared, Run, ExitedGarbage, Garbage };

/// All six phases, in order.
const std::vector<Phase>& allPhases();
/// The phases `rkt list` shows and UUID prefixes are matched against (rkt's "most dirs"):
/// prepare, prepared, run, exited-garbage.
const std::vector<Phase>& mostPhases();

/// The directory name under $DATA/pods: "embryo", "prepare", "prepared", "run",
/// "exited-garbage", "garbage".
std::string_view phaseDirName(Phase phase);

/// Whether the directory's lock carries meaning in this phase (prepare, run, exited-garbage,
/// garbage); in embryo and prepared it does not.
bool phaseHasLockState(Phase phase);

enum class State {
  Embryo,
  Preparing,
  AbortedPrepare,
  Prepared,
  Running,
  Deleting,
  ExitedDeleting,
  Exited,
  ExitedGarbage,
  Garbage,
  Gone,  ///< the pod directory was removed
};

/// The state name exactly as rkt prints it (`rkt list`, `rkt status`): "embryo", "preparing",
/// "aborted prepare", "prepared", "running", "deleting", "exited deleting", "exited",
/// "exited garbage", "garbage"; "gone" for a removed pod.
std::string_view stateName(State state);

/// The state of a pod found in `phase` whose directory lock is (not) held by some process.
State stateFor(Phase phase, bool locked);

/// rkt's AfterRun: the pod ran and is not running any more (exited, exited garbage, exited
/// deleting, garbage, deleting).
bool isAfterRun(State state);

/// rkt's IsFinished: nothing will change the pod any more but garbage collection (exited,
/// exited garbage, exited deleting, aborted prepare, garbage, deleting, gone).
bool isFinished(State state);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_STATE_HPP
