#include "rkt/support/appexec/sys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rkt::appexec {

void fail(rkt_status code, const std::string& message, int sysErrno) {
  throw sdk::Error(code, message, sysErrno);
}

std::string readAll(int fd, const std::string& what) {
  std::string out;
  if (!posix::readAll(fd, out)) {
    throwSys("cannot read " + what);
  }
  return out;
}

void writeFileAtomic(int dirFd, const std::string& dirPath, const std::string& name,
                     const std::string& data, unsigned mode) {
  const std::string tmp = "." + name + ".tmp" + std::to_string(::getpid());
  const std::string shown = "`" + dirPath + "/" + name + "`";
  posix::UniqueFd fd(
      ::openat(dirFd, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) {
    throwSys("cannot write " + shown);
  }
  if (::fchmod(fd.get(), mode) != 0 || !posix::writeAll(fd.get(), data)) {
    int err = errno;
    ::unlinkat(dirFd, tmp.c_str(), 0);
    throwSys("cannot write " + shown, err);
  }
  if (::renameat(dirFd, tmp.c_str(), dirFd, name.c_str()) != 0) {
    int err = errno;
    ::unlinkat(dirFd, tmp.c_str(), 0);
    throwSys("cannot write " + shown, err);
  }
}

}  // namespace rkt::appexec
