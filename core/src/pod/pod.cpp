#include "rkt/core/pod/pod.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <set>

#include "pod/sys.hpp"
#include "rkt/base/quote.hpp"
#include "rkt/support/posix/fsync.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::pod {
namespace {

constexpr int kOpenDirFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW;
// A pod can move at most five times; more rounds than that means something is badly wrong.
constexpr int kMaxSampleRounds = 16;
// A new embryo lost to `rkt gc` (below) is retried under a new UUID; losing this often means
// something else is wrong.
constexpr int kMaxEmbryoAttempts = 8;

bool sameInode(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::string podName(const Uuid& uuid) {
  return "pod `" + uuid.str() + "`";
}

// Where the directory open as `fd` is now. Pods only move to later phases, so scanning
// forward from the last known phase finds a pod moved meanwhile; nullopt when it was removed.
Result<std::optional<Phase>> locate(const PodDirs& dirs, const Uuid& uuid, int fd, Phase from) {
  struct stat self {};
  if (::fstat(fd, &self) != 0)
    return sysError("cannot stat " + podName(uuid));
  for (Phase phase : allPhases()) {
    if (phase < from)
      continue;
    struct stat st {};
    if (::fstatat(AT_FDCWD, dirs.podPath(phase, uuid).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if (sameInode(st, self))
        return std::optional<Phase>(phase);
    } else if (errno != ENOENT) {
      return sysError("cannot stat `" + dirs.podPath(phase, uuid) + "`");
    }
  }
  return std::optional<Phase>();
}

}  // namespace

Pod::Pod(PodDirs dirs, Uuid uuid, Phase phase, int fd)
    : dirs_(std::move(dirs)), uuid_(uuid), phase_(phase), fd_(fd) {}

Pod::Pod(Pod&& other) noexcept
    : dirs_(std::move(other.dirs_)),
      uuid_(other.uuid_),
      phase_(other.phase_),
      state_(other.state_),
      fd_(other.fd_),
      lock_(other.lock_),
      durability_(other.durability_) {
  other.fd_ = -1;
  other.lock_ = Lock::None;
  other.state_ = State::Gone;
}

Pod& Pod::operator=(Pod&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    dirs_ = std::move(other.dirs_);
    uuid_ = other.uuid_;
    phase_ = other.phase_;
    state_ = other.state_;
    fd_ = other.fd_;
    lock_ = other.lock_;
    durability_ = other.durability_;
    other.fd_ = -1;
    other.lock_ = Lock::None;
    other.state_ = State::Gone;
  }
  return *this;
}

Pod::~Pod() {
  if (fd_ >= 0)
    ::close(fd_);
}

// `rkt gc` removes embryos nobody holds locked (abandoned by a process killed between mkdir
// and rename), and between our mkdir and our flock that includes ours: it takes the lock,
// removes the directory, releases the lock. So once locked, the directory must still be
// there (a link count of 0 means it was removed); if gc got it, start again with a new UUID.
Result<Pod> Pod::createEmbryo(const PodDirs& dirs, Durability durability) {
  if (Status s = dirs.ensure(); !s)
    return s.error();
  std::string lost;
  for (int attempt = 0; attempt < kMaxEmbryoAttempts; ++attempt) {
    Result<Uuid> uuid = Uuid::generate();
    if (!uuid)
      return uuid.error();
    const std::string path = dirs.podPath(Phase::Embryo, *uuid);
    if (::mkdir(path.c_str(), 0750) != 0)
      return sysError("cannot create pod directory `" + path + "`");
    posix::UniqueFd fd(::open(path.c_str(), kOpenDirFlags));
    if (!fd.valid()) {
      if (errno == ENOENT) {
        lost = path;
        continue;
      }
      return sysError("cannot open pod directory `" + path + "`");
    }
    Pod pod(dirs, *uuid, Phase::Embryo, fd.release());
    pod.durability_ = durability;
    // Nobody else knows the UUID yet, so the lock is free unless gc is removing the directory;
    // it must be held before the pod becomes visible in prepare/, or it would look like an
    // aborted prepare.
    Result<bool> locked = pod.tryLockExclusive();
    if (!locked)
      return locked.error();
    struct stat st {};
    if (::fstat(pod.fd_, &st) != 0)
      return sysError("cannot stat pod directory `" + path + "`");
    if (!*locked || st.st_nlink == 0) {
      lost = path;
      continue;
    }
    // No fsync here (nor in rkt): a pod lost from embryo/ by a crash was never visible anyway.
    return pod;
  }
  return Error{"cannot create a pod directory: `" + lost + "` and " +
                   std::to_string(kMaxEmbryoAttempts - 1) +
                   " more were removed by a concurrent gc as soon as they were made",
               EBUSY};
}

Result<Pod> Pod::create(const PodDirs& dirs, Durability durability) {
  Result<Pod> pod = createEmbryo(dirs, durability);
  if (!pod)
    return pod;
  if (Status s = pod->toPreparing(); !s)
    return s.error();
  return pod;
}

Result<Pod> Pod::open(const PodDirs& dirs, const Uuid& uuid) {
  for (Phase phase : allPhases()) {
    int fd = ::open(dirs.podPath(phase, uuid).c_str(), kOpenDirFlags);
    if (fd < 0) {
      if (errno == ENOENT)
        continue;
      return sysError("cannot open " + podName(uuid));
    }
    Pod pod(dirs, uuid, phase, fd);
    if (Status s = pod.sample(); !s)
      return s.error();
    if (pod.state_ == State::Gone)
      break;  // removed between open and sample
    return pod;
  }
  return sysError("cannot open " + podName(uuid), ENOENT);
}

Status Pod::sample() {
  for (int round = 0; round < kMaxSampleRounds; ++round) {
    if (fd_ < 0) {
      state_ = State::Gone;
      return {};
    }
    bool locked = lock_ == Lock::Exclusive;
    if (lock_ == Lock::None && phaseHasLockState(phase_)) {
      // The probe: a shared lock is refused only while someone holds the exclusive one.
      int err = sys::flockRetry(fd_, LOCK_SH | LOCK_NB);
      if (err == EWOULDBLOCK) {
        locked = true;
      } else if (err != 0) {
        return sysError("cannot probe lock of " + podName(uuid_), err);
      } else if ((err = sys::flockRetry(fd_, LOCK_UN)) != 0) {
        return sysError("cannot unlock " + podName(uuid_), err);
      }
    }
    // The sample holds only if the pod was still in phase_ after the probe (it could have
    // moved on between open and probe, e.g. prepare -> run, and been relocked there).
    struct stat self {
    }, st{};
    if (::fstat(fd_, &self) != 0)
      return sysError("cannot stat " + podName(uuid_));
    if (::fstatat(AT_FDCWD, path().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && sameInode(st, self)) {
      state_ = stateFor(phase_, locked);
      return {};
    }
    Result<std::optional<Phase>> now = locate(dirs_, uuid_, fd_, phase_);
    if (!now)
      return now.error();
    if (!*now) {
      markGone();
      return {};
    }
    phase_ = **now;
  }
  return Error{"cannot determine the state of " + podName(uuid_) + ": it keeps moving", EAGAIN};
}

Status Pod::refresh() {
  return sample();
}

void Pod::setStateFromOwnLock() {
  state_ = stateFor(phase_, lock_ == Lock::Exclusive);
}

Result<bool> Pod::tryLockExclusive() {
  if (fd_ < 0)
    return sysError("cannot lock " + podName(uuid_), ENOENT);
  int err = sys::flockRetry(fd_, LOCK_EX | LOCK_NB);
  if (err == EWOULDBLOCK) {
    // A failed conversion from shared drops the shared lock (flock(2) converts by unlocking).
    lock_ = Lock::None;
    return false;
  }
  if (err != 0)
    return sysError("cannot lock " + podName(uuid_), err);
  lock_ = Lock::Exclusive;
  setStateFromOwnLock();
  return true;
}

Status Pod::lockExclusive() {
  if (fd_ < 0)
    return sysError("cannot lock " + podName(uuid_), ENOENT);
  if (int err = sys::flockRetry(fd_, LOCK_EX); err != 0) {
    return sysError("cannot lock " + podName(uuid_), err);
  }
  lock_ = Lock::Exclusive;
  setStateFromOwnLock();
  return {};
}

Result<bool> Pod::tryLockShared() {
  if (fd_ < 0)
    return sysError("cannot lock " + podName(uuid_), ENOENT);
  int err = sys::flockRetry(fd_, LOCK_SH | LOCK_NB);
  if (err == EWOULDBLOCK) {
    lock_ = Lock::None;
    return false;
  }
  if (err != 0)
    return sysError("cannot lock " + podName(uuid_), err);
  lock_ = Lock::Shared;
  setStateFromOwnLock();
  return true;
}

Status Pod::unlock() {
  if (fd_ < 0 || lock_ == Lock::None)
    return {};
  if (int err = sys::flockRetry(fd_, LOCK_UN); err != 0) {
    return sysError("cannot unlock " + podName(uuid_), err);
  }
  lock_ = Lock::None;
  return sample();
}

Result<int> Pod::lockFdForExec() {
  if (Status s = requireLock(Lock::Exclusive, "hand over the lock of"); !s)
    return s.error();
  int flags = ::fcntl(fd_, F_GETFD);
  if (flags < 0 || ::fcntl(fd_, F_SETFD, flags & ~FD_CLOEXEC) != 0) {
    return sysError("cannot keep the lock of " + podName(uuid_) + " across exec");
  }
  return fd_;
}

Status Pod::requireLock(Lock lock, std::string_view action) const {
  if (fd_ < 0)
    return sysError("cannot " + std::string(action) + " " + podName(uuid_), ENOENT);
  if (lock_ != lock) {
    return Error{
        "cannot " + std::string(action) + " " + podName(uuid_) + ": the exclusive lock is not held",
        ENOLCK};
  }
  return {};
}

Status Pod::moveTo(Phase to) {
  const Phase from = phase_;
  const std::string src = dirs_.podPath(from, uuid_);
  const std::string dst = dirs_.podPath(to, uuid_);
  const std::string what = "cannot move " + podName(uuid_) + " from " +
                           std::string(phaseDirName(from)) + " to " + std::string(phaseDirName(to));
  if (::rename(src.c_str(), dst.c_str()) != 0) {
    int err = errno;
    struct stat st {};
    if (err == ENOENT && ::fstatat(AT_FDCWD, src.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      // The normal lost race: another process moved (or removed) the pod first.
      return Error{what + ": it was moved by another process", ENOENT};
    }
    return sysError(what, err);
  }
  phase_ = to;
  setStateFromOwnLock();
  // rename(2) is atomic but not durable until the directory is synced. rkt syncs the
  // destination only; journaling filesystems commit both directory entries together.
  if (durability_ == Durability::Unsynced)
    return {};
  return posix::fsyncDir(dirs_.dir(to));
}

Status Pod::toPreparing() {
  if (fd_ < 0 || phase_ != Phase::Embryo) {
    return Error{"cannot prepare " + podName(uuid_) + ": it is " + std::string(stateName(state_)) +
                     ", not embryo",
                 EINVAL};
  }
  if (Status s = requireLock(Lock::Exclusive, "prepare"); !s)
    return s;
  return moveTo(Phase::Prepare);
}

Status Pod::toPrepared() {
  if (fd_ < 0 || phase_ != Phase::Prepare) {
    return Error{"cannot mark " + podName(uuid_) + " prepared: it is " +
                     std::string(stateName(state_)) + ", not preparing",
                 EINVAL};
  }
  if (Status s = requireLock(Lock::Exclusive, "mark prepared"); !s)
    return s;
  if (Status s = moveTo(Phase::Prepared); !s)
    return s;
  return unlock();
}

Status Pod::toRun(LockWait wait) {
  if (fd_ >= 0 && phase_ == Phase::Prepare) {
    if (Status s = requireLock(Lock::Exclusive, "run"); !s)
      return s;
    return moveTo(Phase::Run);
  }
  if (fd_ < 0 || phase_ != Phase::Prepared) {
    return Error{"cannot run " + podName(uuid_) + ": it is " + std::string(stateName(state_)) +
                     ", not prepared",
                 EINVAL};
  }
  // The lock is taken before the pod enters run/, so it is never seen there unlocked.
  if (lock_ != Lock::Exclusive) {
    if (wait == LockWait::Block) {
      if (Status s = lockExclusive(); !s)
        return s;
    } else {
      Result<bool> got = tryLockExclusive();
      if (!got)
        return got.error();
      if (!*got) {
        return Error{"cannot run " + podName(uuid_) + ": it is locked by another process",
                     EWOULDBLOCK};
      }
    }
  }
  Status moved = moveTo(Phase::Run);
  if (!moved && phase_ == Phase::Prepared) {
    // Lost the race: the winner runs it. Do not keep a lock on someone else's pod.
    (void)sys::flockRetry(fd_, LOCK_UN);
    lock_ = Lock::None;
    (void)sample();
  }
  return moved;
}

Status Pod::toExitedGarbage() {
  if (fd_ < 0 || phase_ != Phase::Run) {
    return Error{"cannot mark " + podName(uuid_) + " exited: it is " +
                     std::string(stateName(state_)) + ", not in run",
                 EINVAL};
  }
  const bool tookLock = lock_ == Lock::None;
  if (tookLock) {
    Result<bool> got = tryLockShared();
    if (!got)
      return got.error();
    if (!*got) {
      state_ = State::Running;
      return Error{"cannot mark " + podName(uuid_) + " exited: it is running", EBUSY};
    }
  }
  Status moved = moveTo(Phase::ExitedGarbage);
  if (tookLock) {
    (void)sys::flockRetry(fd_, LOCK_UN);
    lock_ = Lock::None;
    Status sampled = sample();
    if (moved && !sampled)
      return sampled;
  }
  return moved;
}

Status Pod::toGarbage() {
  if (fd_ < 0 || (phase_ != Phase::Prepare && phase_ != Phase::Prepared)) {
    return Error{
        "cannot move " + podName(uuid_) + " to garbage: it is " + std::string(stateName(state_)),
        EINVAL};
  }
  const bool tookLock = lock_ == Lock::None;
  if (tookLock) {
    // Also for prepared pods, where the lock otherwise means nothing: a held lock there is a
    // `run-prepared` about to move the pod to run/.
    Result<bool> got = tryLockShared();
    if (!got)
      return got.error();
    if (!*got) {
      return Error{"cannot move " + podName(uuid_) + " to garbage: " +
                       (phase_ == Phase::Prepare ? "it is being prepared" : "it is about to run"),
                   EBUSY};
    }
  }
  Status moved = moveTo(Phase::Garbage);
  if (tookLock) {
    (void)sys::flockRetry(fd_, LOCK_UN);
    lock_ = Lock::None;
    Status sampled = sample();
    if (moved && !sampled)
      return sampled;
  }
  return moved;
}

void Pod::markGone() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  lock_ = Lock::None;
  state_ = State::Gone;
}

Result<std::vector<Uuid>> listPods(const PodDirs& dirs, const std::vector<Phase>& phases) {
  std::set<Uuid> found;
  for (Phase phase : phases) {
    const std::string dir = dirs.dir(phase);
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      if (errno == ENOENT)
        continue;
      return sysError("cannot read pod directory `" + dir + "`");
    }
    errno = 0;
    while (struct dirent* e = ::readdir(d)) {
      Result<Uuid> uuid = Uuid::parse(e->d_name);
      // Only canonical names are pods; anything else in these directories is not ours.
      if (uuid && uuid->str() == e->d_name)
        found.insert(*uuid);
      errno = 0;
    }
    int err = errno;
    ::closedir(d);
    if (err != 0)
      return sysError("cannot read pod directory `" + dir + "`", err);
  }
  return std::vector<Uuid>(found.begin(), found.end());
}

Status walkPods(const PodDirs& dirs, const std::vector<Phase>& phases,
                const std::function<void(Pod&)>& fn,
                const std::function<void(const Uuid&, const Error&)>& onError) {
  Result<std::vector<Uuid>> uuids = listPods(dirs, phases);
  if (!uuids)
    return uuids.error();
  for (const Uuid& uuid : *uuids) {
    Result<Pod> pod = Pod::open(dirs, uuid);
    if (!pod) {
      if (pod.error().sysErrno != ENOENT && onError)
        onError(uuid, pod.error());
      continue;
    }
    fn(*pod);
  }
  return {};
}

Result<Uuid> resolveUuid(const PodDirs& dirs, std::string_view arg,
                         const std::vector<Phase>& phases) {
  std::string prefix(arg);
  for (char& c : prefix) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  if (prefix.empty())
    return Error{"UUID cannot be empty", EINVAL};
  Result<std::vector<Uuid>> uuids = listPods(dirs, phases);
  if (!uuids)
    return uuids.error();
  std::vector<Uuid> matches;
  for (const Uuid& uuid : *uuids) {
    if (uuid.str().compare(0, prefix.size(), prefix) == 0)
      matches.push_back(uuid);
  }
  if (matches.empty())
    return Error{"no matches found for " + goQuote(prefix), ENOENT};
  if (matches.size() > 1) {
    return Error{"ambiguous uuid, " + std::to_string(matches.size()) + " matches", EINVAL};
  }
  return matches.front();
}

Result<Pod> openPod(const PodDirs& dirs, std::string_view arg, const std::vector<Phase>& phases) {
  Result<Uuid> uuid = resolveUuid(dirs, arg, phases);
  if (!uuid)
    return uuid.error();
  return Pod::open(dirs, *uuid);
}

}  // namespace rkt::pod
