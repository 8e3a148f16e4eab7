#include "rkt/core/util/key_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace rkt::util {

Result<KeyLock> KeyLock::acquire(const std::string& dir, const std::string& key, Mode mode) {
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return sysError("cannot create lock directory `" + dir + "`");
  }
  const std::string path = dir + "/" + key;
  // Someone may remove the lock file between our open and our flock (rkt's key locks are
  // removable); then the lock we hold protects nothing, so start over with a fresh file.
  for (int attempt = 0;; ++attempt) {
    posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0660));
    if (!fd.valid()) {
      return sysError("cannot open lock `" + path + "`");
    }
    int rc;
    do {
      rc = ::flock(fd.get(), mode == Mode::Exclusive ? LOCK_EX : LOCK_SH);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      return sysError("cannot lock `" + path + "`");
    }
    struct stat held {};
    struct stat current {};
    if (::fstat(fd.get(), &held) == 0 && ::stat(path.c_str(), &current) == 0 &&
        held.st_ino == current.st_ino && held.st_dev == current.st_dev) {
      return KeyLock(path, std::move(fd));
    }
    if (attempt >= 3) {
      return Error{"cannot lock `" + path + "`: the lock file keeps being removed", EAGAIN};
    }
  }
}

}  // namespace rkt::util
