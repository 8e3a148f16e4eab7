#include "rkt/core/pod/gc.hpp"

#include <sys/stat.h>

#include <cerrno>

#include "pod/sys.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace rkt::pod {
namespace {

std::string quoted(const Uuid& uuid) {
  return "\"" + uuid.str() + "\"";
}

// A transition that lost to another process, or found the pod busy, is not a failure of the
// collection: the pod is someone else's business now, or the next run's.
bool benign(const Error& e) {
  return e.sysErrno == ENOENT || e.sysErrno == EBUSY;
}

// Where deletePod takes pods from: the two garbage directories, and embryo/ (an embryo whose
// lock we could take was abandoned; its creator holds the lock until the pod leaves embryo/).
bool collectable(Phase phase) {
  return phase == Phase::ExitedGarbage || phase == Phase::Garbage || phase == Phase::Embryo;
}

Result<TimePoint> changeTime(const Pod& pod) {
  struct stat st {};
  if (::fstat(pod.dirFd(), &st) != 0)
    return sysError("cannot stat pod `" + pod.uuid().str() + "`");
  return sys::toTimePoint(st.st_ctim);
}

// Runs `move` on every pod of `phase` whose state is `state` (and `extra` agrees).
Result<MarkReport> markPods(const PodDirs& dirs, Phase phase, State state,
                            const std::function<Result<bool>(Pod&)>& extra, Status (Pod::*move)()) {
  MarkReport report;
  Status walked = walkPods(
      dirs, {phase},
      [&](Pod& pod) {
        if (pod.state() != state)
          return;
        if (extra) {
          Result<bool> selected = extra(pod);
          if (!selected) {
            report.errors.emplace_back(pod.uuid(), selected.error());
            return;
          }
          if (!*selected)
            return;
        }
        if (Status s = (pod.*move)(); s) {
          report.moved.push_back(pod.uuid());
        } else if (!benign(s.error())) {
          report.errors.emplace_back(pod.uuid(), s.error());
        }
      },
      [&](const Uuid& uuid, const Error& e) { report.errors.emplace_back(uuid, e); });
  if (!walked)
    return walked.error();
  return report;
}

}  // namespace

Result<MarkReport> markExitedPods(const PodDirs& dirs) {
  return markPods(dirs, Phase::Run, State::Exited, nullptr, &Pod::toExitedGarbage);
}

Result<MarkReport> markAbortedPrepares(const PodDirs& dirs) {
  return markPods(dirs, Phase::Prepare, State::AbortedPrepare, nullptr, &Pod::toGarbage);
}

Result<MarkReport> expirePreparedPods(const PodDirs& dirs, std::chrono::nanoseconds expireAfter,
                                      TimePoint now) {
  auto expired = [&](Pod& pod) -> Result<bool> {
    Result<TimePoint> ctime = changeTime(pod);
    if (!ctime)
      return ctime.error();
    return now > *ctime + std::chrono::duration_cast<TimePoint::duration>(expireAfter);
  };
  return markPods(dirs, Phase::Prepared, State::Prepared, expired, &Pod::toGarbage);
}

Result<SweepSelection> selectForSweep(const PodDirs& dirs, std::chrono::nanoseconds gracePeriod,
                                      TimePoint now) {
  SweepSelection selection;
  auto pastGrace = [&](const Pod& pod) {
    Result<TimePoint> ctime = changeTime(pod);
    return ctime && (gracePeriod.count() == 0 ||
                     now > *ctime + std::chrono::duration_cast<TimePoint::duration>(gracePeriod));
  };
  // Embryos live for the few system calls between mkdir and the rename to prepare/, locked by
  // their creator. One that is older than the grace period was left by a process killed in
  // between; whether its lock is free is checked when it is collected (runGc).
  Status walked = walkPods(dirs, {Phase::Embryo}, [&](Pod& pod) {
    if (pod.state() == State::Embryo && pastGrace(pod))
      selection.collect.push_back(pod.uuid());
  });
  if (!walked)
    return walked.error();
  walked = walkPods(dirs, {Phase::ExitedGarbage}, [&](Pod& pod) {
    if (pod.state() != State::ExitedGarbage)
      return;  // being deleted, or gone
    // The mark rename set the ctime: the grace period runs from the mark, not the exit.
    if (!changeTime(pod))
      return;
    if (pastGrace(pod)) {
      selection.collect.push_back(pod.uuid());
    } else {
      selection.withinGrace.push_back(pod.uuid());
    }
  });
  if (!walked)
    return walked.error();
  walked = walkPods(dirs, {Phase::Garbage}, [&](Pod& pod) {
    if (pod.state() == State::Garbage)
      selection.collect.push_back(pod.uuid());
  });
  if (!walked)
    return walked.error();
  return selection;
}

Status deletePod(Pod& pod) {
  const std::string name = "pod `" + pod.uuid().str() + "`";
  if (pod.dirFd() < 0)
    return sysError("cannot delete " + name, ENOENT);
  if (!collectable(pod.phase())) {
    return Error{"cannot delete " + name + ": it is " + std::string(stateName(pod.state())) +
                     ", not garbage",
                 EINVAL};
  }
  if (pod.heldLock() != Pod::Lock::Exclusive) {
    Result<bool> locked = pod.tryLockExclusive();
    if (!locked)
      return locked.error();
    if (!*locked) {
      return Error{"cannot delete " + name + ": it is locked by another process", EWOULDBLOCK};
    }
  }
  // Another process may have deleted it between our open and our lock.
  if (Status s = pod.refresh(); !s)
    return s;
  if (pod.state() == State::Gone)
    return sysError("cannot delete " + name, ENOENT);

  const std::string path = pod.path();
  if (Status s = unmountAllUnder(path); !s)
    return s.error().wrap("cannot delete " + name);
  // The stage1 rootfs goes first: if it cannot be removed, the manifest stays for a retry.
  if (Status s = posix::removeTree(path + "/" + layout::kStage1Rootfs); !s) {
    return s.error().wrap("cannot delete " + name);
  }
  if (Status s = posix::removeTree(path); !s)
    return s.error().wrap("cannot delete " + name);
  pod.markGone();
  return sys::fsyncDir(pod.dirs().dir(pod.phase()));
}

Status markForRemoval(Pod& pod) {
  switch (pod.state()) {
    case State::Running:
      return Error{"pod " + quoted(pod.uuid()) + " is currently running", EBUSY};
    case State::Embryo:
    case State::Preparing:
      return Error{"pod " + quoted(pod.uuid()) + " is currently being prepared", EBUSY};
    case State::Deleting:
    case State::ExitedDeleting:
      return Error{"pod " + quoted(pod.uuid()) + " is currently being deleted", EBUSY};
    case State::AbortedPrepare:
    case State::Prepared:
      return pod.toGarbage();
    case State::Exited:
      return pod.toExitedGarbage();
    case State::ExitedGarbage:
    case State::Garbage:
      return {};
    case State::Gone:
      break;
  }
  return sysError("pod " + quoted(pod.uuid()), ENOENT);
}

Status runGc(const PodDirs& dirs, const GcOptions& options, GcObserver& observer) {
  auto report = [&](const Result<MarkReport>& r, void (GcObserver::*moved)(const Uuid&)) -> Status {
    if (!r)
      return r.error();
    for (const Uuid& uuid : r->moved)
      (observer.*moved)(uuid);
    for (const auto& [uuid, error] : r->errors)
      observer.podError(uuid, error);
    return {};
  };
  if (Status s = report(markExitedPods(dirs), &GcObserver::markedExited); !s)
    return s;
  if (Status s = report(markAbortedPrepares(dirs), &GcObserver::markedAbortedPrepare); !s)
    return s;
  if (options.markOnly)
    return {};
  if (Status s = report(expirePreparedPods(dirs, options.expirePrepared, options.now),
                        &GcObserver::expiredPrepared);
      !s) {
    return s;
  }

  Result<SweepSelection> selection = selectForSweep(dirs, options.gracePeriod, options.now);
  if (!selection)
    return selection.error();
  for (const Uuid& uuid : selection->withinGrace)
    observer.withinGracePeriod(uuid);
  for (const Uuid& uuid : selection->collect) {
    Result<Pod> pod = Pod::open(dirs, uuid);
    if (!pod) {
      if (pod.error().sysErrno != ENOENT)
        observer.podError(uuid, pod.error());
      continue;
    }
    Result<bool> locked = pod->tryLockExclusive();
    if (!locked) {
      observer.podError(uuid, locked.error());
      continue;
    }
    if (!*locked)
      continue;  // busy (status, another gc, the creator of an embryo): the next run gets it
    // Gone, or moved on meanwhile (an embryo its creator renamed to prepare/ before we locked).
    if (Status s = pod->refresh(); !s || pod->state() == State::Gone || !collectable(pod->phase()))
      continue;
    if (Status s = observer.collecting(*pod); !s) {
      observer.podError(uuid, s.error());
      continue;
    }
    if (Status s = deletePod(*pod); !s) {
      if (s.error().sysErrno != ENOENT)
        observer.podError(uuid, s.error());
      continue;
    }
    observer.deleted(uuid);
  }
  return {};
}

}  // namespace rkt::pod
