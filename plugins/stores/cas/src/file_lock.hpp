// flock(2)-based locks, as rkt uses them: on the store directory itself, and "key locks" (one
// empty file per key in a lock directory, e.g. cas/imagelocks/<image key>).
#ifndef RKT_CAS_FILE_LOCK_HPP
#define RKT_CAS_FILE_LOCK_HPP

#include <optional>
#include <string>

#include "fs_util.hpp"

namespace rkt::cas {

enum class LockMode { kShared, kExclusive };

/// A held flock on one open file description. Move-only; released (and the fd closed) on
/// destruction. Locks taken through different FileLock objects conflict even inside one
/// process, exactly like two processes would.
class FileLock {
 public:
  FileLock() = default;

  /// Opens `path` (an existing directory or file) and locks it, blocking.
  static FileLock lockPath(const std::string& path, LockMode mode);
  /// Same, but returns nullopt instead of blocking when the lock is held by someone else.
  static std::optional<FileLock> tryLockPath(const std::string& path, LockMode mode);

  /// Key lock on `<dir>/<key>`: the lock file is created (mode 0660) on demand. A lock file can
  /// be removed by whoever holds it exclusively (see unlinkKeyFile); a waiter that then gets
  /// the lock on the removed file notices and starts over with a fresh file, a bounded number
  /// of times (RKT_E_BUSY after that). `key` must be a plain file name.
  static FileLock lockKey(const std::string& dir, const std::string& key, LockMode mode);
  /// Same, but returns nullopt instead of blocking when someone else holds the lock.
  static std::optional<FileLock> tryLockKey(const std::string& dir, const std::string& key,
                                            LockMode mode);

  /// Changes the mode of a held lock (blocking). Like flock(2), the old lock is dropped first.
  void relock(LockMode mode);
  /// Non-blocking relock; on false the object holds NO lock any more (flock(2) semantics).
  bool tryRelock(LockMode mode);
  /// Drops the lock but keeps the file open, so relock() can take it again.
  void unlock();

  /// Removes the key lock file. Precondition: held exclusively (waiters then retry).
  void unlinkKeyFile();

  bool held() const { return fd_.valid() && locked_; }
  const std::string& path() const { return path_; }

 private:
  FileLock(posix::UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  bool flockFd(LockMode mode, bool block);
  static std::optional<FileLock> keyLock(const std::string& dir, const std::string& key,
                                         LockMode mode, bool block);

  posix::UniqueFd fd_;
  std::string path_;
  bool locked_ = false;
};

}  // namespace rkt::cas

#endif  // RKT_CAS_FILE_LOCK_HPP
