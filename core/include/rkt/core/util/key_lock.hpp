// rkt's key locks (pkg/lock/keylock.go): one lock file per key in a lock directory, flock(2)ed
// shared or exclusive. Used for `$DATA/locks/prepareLock`: prepare holds it shared while it
// references trees, `rkt image gc` holds it exclusive while it sweeps them.
#ifndef RKT_CORE_UTIL_KEY_LOCK_HPP
#define RKT_CORE_UTIL_KEY_LOCK_HPP

#include <string>
#include <utility>

#include "rkt/core/result.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::util {

/// The name of rkt's preparation key lock under $DATA/locks.
inline constexpr const char* kPrepareLockKey = "prepareLock";

class KeyLock {
 public:
  enum class Mode { Shared, Exclusive };

  /// Locks `<dir>/<key>`, creating the directory (0750) and the file (0660) when missing, and
  /// waits for the lock. A lock file removed by another process while we waited is re-created
  /// and locked again (as rkt's key locks retry).
  static Result<KeyLock> acquire(const std::string& dir, const std::string& key, Mode mode);

  // Move-only; destroying the lock releases it (closes the file).

  const std::string& path() const { return path_; }

 private:
  KeyLock(std::string path, posix::UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::string path_;
  posix::UniqueFd fd_;
};

}  // namespace rkt::util

#endif  // RKT_CORE_UTIL_KEY_LOCK_HPP
