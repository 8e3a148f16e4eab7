#include "rkt/support/appexec/pod_lock.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

namespace {

[[noreturn]] void invalidLockFd(const std::string& why) {
  // The protocol codec's wording for a bad field (rkt/sdk/protocol/json.hpp).
  fail(RKT_E_INVALID, "invalid run request: field \"lock_fd\": " + why);
}

}  // namespace

void checkPodLockFd(int fd, const std::string& podDir) {
  struct stat lockSt {};
  struct stat dirSt {};
  if (::fcntl(fd, F_GETFD) < 0 || ::fstat(fd, &lockSt) != 0) {
    invalidLockFd(std::to_string(fd) + " is not an open descriptor");
  }
  if (::stat(podDir.c_str(), &dirSt) != 0) {
    throwSys("cannot open pod directory `" + podDir + "`");
  }
  if (lockSt.st_dev != dirSt.st_dev || lockSt.st_ino != dirSt.st_ino) {
    invalidLockFd(std::to_string(fd) + " does not refer to the pod directory `" + podDir + "`");
  }
}

}  // namespace rkt::appexec
