#include "rkt/support/cni/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::cni {

NetnsScope::NetnsScope(int target, int home) : home_(home) {
  if (::setns(target, CLONE_NEWNET) != 0) {
    posix::throwSys("cannot enter the container's network namespace");
  }
}

NetnsScope::~NetnsScope() {
  if (::setns(home_, CLONE_NEWNET) != 0) {
    std::abort();  // going on in the container's namespace would break every later call
  }
}

void writeSysctl(const std::string& key, const std::string& value, bool missingOk) {
  const std::string path = "/proc/sys/" + key;
  posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (missingOk && errno == ENOENT) {
      return;
    }
    posix::throwSys("cannot open `" + path + "`");
  }
  if (!posix::writeAll(fd.get(), value)) {
    posix::throwSys("cannot write `" + path + "`");
  }
}

unsigned long currentNetnsInode() {
  struct stat st {};
  if (::stat("/proc/thread-self/ns/net", &st) != 0) {
    return 0;
  }
  return static_cast<unsigned long>(st.st_ino);
}

}  // namespace rkt::cni
