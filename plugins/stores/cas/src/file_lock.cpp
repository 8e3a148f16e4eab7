#include "file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "errors.hpp"

namespace rkt::cas {
namespace {

// rkt retries 3 times; a store that removes lock files on every image removal sees more churn
// under heavy concurrent use, and a spurious failure is worse than a few extra open(2) calls.
constexpr int kKeyLockAttempts = 16;

int flockOp(LockMode mode) {
  return mode == LockMode::kShared ? LOCK_SH : LOCK_EX;
}

posix::UniqueFd openForLock(const std::string& path) {
  posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.valid()) {
    throwSys("cannot open lock " + named(path));
  }
  return fd;
}

}  // namespace

bool FileLock::flockFd(LockMode mode, bool block) {
  int op = flockOp(mode) | (block ? 0 : LOCK_NB);
  for (;;) {
    if (::flock(fd_.get(), op) == 0) {
      locked_ = true;
      return true;
    }
    if (errno == EINTR) {
      continue;
    }
    // A failed conversion leaves no lock at all (the old one is dropped first).
    locked_ = false;
    if (!block && errno == EWOULDBLOCK) {
      return false;
    }
    throwSys("cannot lock " + named(path_));
  }
}

FileLock FileLock::lockPath(const std::string& path, LockMode mode) {
  FileLock lock(openForLock(path), path);
  lock.flockFd(mode, true);
  return lock;
}

std::optional<FileLock> FileLock::tryLockPath(const std::string& path, LockMode mode) {
  FileLock lock(openForLock(path), path);
  if (!lock.flockFd(mode, false)) {
    return std::nullopt;
  }
  return lock;
}

FileLock FileLock::lockKey(const std::string& dir, const std::string& key, LockMode mode) {
  return *keyLock(dir, key, mode, true);
}

std::optional<FileLock> FileLock::tryLockKey(const std::string& dir, const std::string& key,
                                             LockMode mode) {
  return keyLock(dir, key, mode, false);
}

std::optional<FileLock> FileLock::keyLock(const std::string& dir, const std::string& key,
                                          LockMode mode, bool block) {
  std::string path = dir + "/" + key;
  for (int attempt = 0; attempt < kKeyLockAttempts; ++attempt) {
    posix::UniqueFd fd(
        ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0660));
    if (fd.valid()) {
      // Created here: the mode is part of the layout, whatever the umask.
      if (::fchmod(fd.get(), 0660) != 0) {
        throwSys("cannot set mode of lock " + named(path));
      }
    } else if (errno == EEXIST) {
      fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW));
      if (!fd.valid()) {
        if (errno == ENOENT) {
          continue;  // removed between the two opens
        }
        throwSys("cannot open lock " + named(path));
      }
    } else {
      throwSys("cannot create lock " + named(path));
    }
    FileLock lock(std::move(fd), path);
    if (!lock.flockFd(mode, block)) {
      return std::nullopt;
    }
    // The holder may have removed the file while we waited; then our lock guards nothing.
    struct stat held {};
    struct stat current {};
    if (::fstat(lock.fd_.get(), &held) != 0) {
      throwSys("cannot stat lock " + named(path));
    }
    if (held.st_nlink > 0 && ::stat(path.c_str(), &current) == 0 && current.st_ino == held.st_ino &&
        current.st_dev == held.st_dev) {
      return lock;
    }
  }
  throw Error(RKT_E_BUSY, "cannot lock " + named(path) + ": lock file removed concurrently " +
                              std::to_string(kKeyLockAttempts) + " times");
}

void FileLock::relock(LockMode mode) {
  flockFd(mode, true);
}

bool FileLock::tryRelock(LockMode mode) {
  return flockFd(mode, false);
}

void FileLock::unlock() {
  if (fd_.valid() && locked_) {
    ::flock(fd_.get(), LOCK_UN);
  }
  locked_ = false;
}

void FileLock::unlinkKeyFile() {
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    throwSys("cannot remove lock " + named(path_));
  }
}

}  // namespace rkt::cas
