// One pod: an open file descriptor on its directory plus the state it was last seen in.
//
// The directory fd is the pod lock (flock(2)). It follows the directory across renames, so a
// Pod stays valid while it moves between phases. State is a sample: other processes move and
// lock pods at any time, and losing such a race is normal (see refresh() and the transition
// errors, which carry ENOENT when another process moved the pod first).
//
//   Result<Pod> pod = Pod::create(dirs);             // embryo -> prepare, locked: "preparing"
//   ... write the pod manifest into pod->path() ...
//   pod->toRun();                                     // prepare -> run, lock kept: "running"
//   setenv(kLockFdEnv, std::to_string(*pod->lockFdForExec()).c_str(), 1);
//   execv(stage1, argv);                              // the lock lives as long as the pod
//
// A Pod is not thread-safe. Two Pod objects for the same pod (even in one process) hold
// distinct locks, exactly like two processes.
#ifndef RKT_CORE_POD_POD_HPP
#define RKT_CORE_POD_POD_HPP

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/pod/pod_dirs.hpp"
#include "rkt/core/pod/state.hpp"
#include "rkt/core/pod/uuid.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

/// The environment variable that tells a stage1 which fd holds the pod lock.
inline constexpr char kLockFdEnv[] = "RKT_LOCK_FD";

enum class LockWait { Block, NoBlock };

/// Whether transitions fsync the directory the pod moved into (rkt does). A pod that is run
/// right away does not need it: after a crash it is found, unlocked, in prepare/ or run/ and
/// garbage-collected either way, so `rkt run` skips the syncs on its hot path.
enum class Durability { Synced, Unsynced };

class Pod {
 public:
  enum class Lock { None, Shared, Exclusive };

  /// rkt's NewPod: a new UUID, mkdir embryo/<uuid> (0750), lock it exclusively, rename it to
  /// prepare/<uuid>. The result is "preparing" and holds the exclusive lock; if the process
  /// dies now the pod becomes an "aborted prepare".
  static Result<Pod> create(const PodDirs& dirs, Durability durability = Durability::Synced);

  /// Like create() but stops in embryo (locked exclusively); continue with toPreparing().
  static Result<Pod> createEmbryo(const PodDirs& dirs, Durability durability = Durability::Synced);

  /// Finds the pod in any phase directory and samples its state (a non-blocking shared lock
  /// taken and released at once). No lock is held afterwards. A pod moved concurrently is
  /// followed; only a pod found nowhere fails (errno ENOENT).
  static Result<Pod> open(const PodDirs& dirs, const Uuid& uuid);

  Pod(Pod&& other) noexcept;
  Pod& operator=(Pod&& other) noexcept;
  Pod(const Pod&) = delete;
  Pod& operator=(const Pod&) = delete;
  /// Closes the directory fd, which releases any lock this Pod holds.
  ~Pod();

  const Uuid& uuid() const { return uuid_; }
  const PodDirs& dirs() const { return dirs_; }
  /// The phase directory the pod was last seen in. Meaningless when state() is Gone.
  Phase phase() const { return phase_; }
  State state() const { return state_; }
  /// $DATA/pods/<phase>/<uuid> for the last seen phase.
  std::string path() const { return dirs_.podPath(phase_, uuid_); }
  /// The open directory fd (read pod files with openat on it; it survives renames); -1 once
  /// the pod is gone or deleted.
  int dirFd() const { return fd_; }
  Lock heldLock() const { return lock_; }
  /// How later transitions treat durability (see Durability).
  void setDurability(Durability d) { durability_ = d; }

  /// Re-samples phase and state. Works with or without a lock held (the lock is kept); a pod
  /// whose directory no longer exists becomes Gone.
  Status refresh();

  // Locks on the pod directory. Taking one lock while holding the other converts it.
  /// true when taken, false when another process holds a conflicting lock.
  Result<bool> tryLockExclusive();
  /// Waits for the exclusive lock (EINTR is retried).
  Status lockExclusive();
  Result<bool> tryLockShared();
  Status unlock();

  /// The lock fd for the stage1 (RKT_LOCK_FD): clears FD_CLOEXEC so the fd and its lock survive
  /// execve. The Pod keeps owning the fd (closes it on destruction if exec never happens).
  /// Precondition: the exclusive lock is held.
  Result<int> lockFdForExec();

  // Transitions: rename(2) into the next phase directory, then (Durability::Synced) fsync the
  // directory it moved into, as rkt does.
  // A lost race (the pod was moved by someone else) fails with errno ENOENT.

  /// embryo -> prepare. Requires the exclusive lock.
  Status toPreparing();
  /// prepare -> prepared, then releases the lock. Requires the exclusive lock.
  Status toPrepared();
  /// prepare -> run (requires the exclusive lock, as `rkt run`), or prepared -> run: takes the
  /// exclusive lock first (waiting for it, or failing with EWOULDBLOCK with NoBlock), as
  /// `rkt run-prepared`. Of several processes racing to run one prepared pod exactly one
  /// wins; the others fail with ENOENT (and do not keep the lock). The lock stays held.
  Status toRun(LockWait wait = LockWait::Block);
  /// run -> exited-garbage for an exited pod (nobody else holds its lock).
  Status toExitedGarbage();
  /// prepare -> garbage for an aborted prepare, prepared -> garbage for a prepared pod that no
  /// process is about to run (its lock is free).
  Status toGarbage();

  /// Marks the directory removed: closes the fd (releasing the lock); state becomes Gone.
  /// Used by deletePod once the directory is gone.
  void markGone();

 private:
  Pod(PodDirs dirs, Uuid uuid, Phase phase, int fd);
  Status sample();
  Status moveTo(Phase to);
  Status requireLock(Lock lock, std::string_view action) const;
  void setStateFromOwnLock();

  PodDirs dirs_;
  Uuid uuid_;
  Phase phase_;
  State state_ = State::Embryo;
  int fd_ = -1;
  Lock lock_ = Lock::None;
  Durability durability_ = Durability::Synced;
};

/// UUIDs of the pods in `phases`, sorted, each once (a pod seen twice because it moved while
/// the directories were read is listed once). Names that are not UUIDs are ignored. Missing
/// phase directories count as empty.
Result<std::vector<Uuid>> listPods(const PodDirs& dirs,
                                   const std::vector<Phase>& phases = mostPhases());

/// Opens every pod listed in `phases` (in UUID order) and calls `fn`; the Pod reflects where the
/// pod is now, which may be a later phase. Pods that vanish meanwhile are skipped; other
/// failures to open a pod are passed to `onError` (if given) and the walk continues. Fails
/// only when a phase directory cannot be read.
Status walkPods(const PodDirs& dirs, const std::vector<Phase>& phases,
                const std::function<void(Pod&)>& fn,
                const std::function<void(const Uuid&, const Error&)>& onError = nullptr);

/// Resolves a UUID argument as rkt does: lower-cased, then prefix-matched against the pods in
/// `phases`. Errors (rkt's wording): "UUID cannot be empty", `no matches found for "<arg>"`,
/// "ambiguous uuid, <n> matches".
Result<Uuid> resolveUuid(const PodDirs& dirs, std::string_view arg,
                         const std::vector<Phase>& phases = mostPhases());

/// resolveUuid + Pod::open.
Result<Pod> openPod(const PodDirs& dirs, std::string_view arg,
                    const std::vector<Phase>& phases = mostPhases());

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_POD_HPP
