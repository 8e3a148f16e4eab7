#include "rkt/core/stage0/teardown_holder.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::stage0 {

MountNamespaceHolder::MountNamespaceHolder() {
  posix::UniqueFd caller(static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0)));
  if (!caller.valid()) {
    return;
  }
  starter_ = ::fork();
  if (starter_ != 0) {
    return;  // the caller (or fork failed: no holder)
  }
  // The caller may have threads (a flavor's early preparations): from here on, system calls
  // only. The starter drops the caller's descriptors before it forks the holder: once detach()
  // has reaped the starter, no copy of the pod's lock (or any other descriptor) lives on in a
  // holder that has not been scheduled yet, so the pod reads as exited as soon as its process
  // is. The starter then exits, so the holder is reparented.
  const int keep = caller.get();
  if (keep > 0) {
    ::close_range(0, static_cast<unsigned>(keep) - 1, 0);
  }
  ::close_range(static_cast<unsigned>(keep) + 1, UINT_MAX, 0);
  if (::fork() != 0) {
    ::_exit(0);
  }
  ::setsid();
  // Readable once the caller has exited (a zombie or reaped).
  pollfd exited{keep, POLLIN, 0};
  while (::poll(&exited, 1, -1) < 0 && errno == EINTR) {
  }
  ::_exit(0);
}

MountNamespaceHolder::~MountNamespaceHolder() {
  detach();
}

void MountNamespaceHolder::detach() {
  if (starter_ <= 0) {
    return;
  }
  int status = 0;
  while (::waitpid(starter_, &status, 0) < 0 && errno == EINTR) {
  }
  starter_ = -1;
}

}  // namespace rkt::stage0
