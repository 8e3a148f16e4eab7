#include "rkt/support/appexec/app_exec.hpp"

#include <fcntl.h>
#include <grp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

namespace {

// Only async-signal-safe calls from here on: the caller may be a fork of a threaded process.
void writeRaw(int fd, const char* s, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void writeStr(int fd, const std::string& s) {
  writeRaw(fd, s.data(), s.size());
}

void writeCStr(int fd, const char* s) {
  writeRaw(fd, s, std::strlen(s));
}

}  // namespace

PreparedExec::PreparedExec(ExecSpec spec) : spec_(std::move(spec)) {
  environ_ = toEnviron(spec_.env);
  for (std::string& a : spec_.argv) {
    argvPtrs_.push_back(a.data());
  }
  argvPtrs_.push_back(nullptr);
  for (std::string& e : environ_) {
    envPtrs_.push_back(e.data());
  }
  envPtrs_.push_back(nullptr);
  unableToOpen_ = "Error: Unable to open " + goQuote(spec_.program) + ": ";
  unableToExec_ = "Error: Unable to execute " + goQuote(spec_.program) + ": ";
  callerPrefix_ = spec_.caller + ": ";
  cannotChdir_ = callerPrefix_ + "cannot change to working directory `" + spec_.workDir + "`: ";
}

void PreparedExec::die(const char* what, int err) const {
  char text[128];
  writeStr(spec_.errorFd, callerPrefix_);
  writeCStr(spec_.errorFd, what);
  writeCStr(spec_.errorFd, ": ");
  writeCStr(spec_.errorFd, posix::errnoTextInto(err, text, sizeof text));
  writeCStr(spec_.errorFd, "\n");
  ::_exit(254);
}

void PreparedExec::execApp() const {
  for (const auto& [sig, action] : spec_.restoreSignals) {
    ::sigaction(sig, &action, nullptr);
  }
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  if (spec_.inheritFd >= 0) {
    int flags = ::fcntl(spec_.inheritFd, F_GETFD);
    if (flags < 0 || ::fcntl(spec_.inheritFd, F_SETFD, flags & ~FD_CLOEXEC) != 0) {
      die("cannot keep the pod lock open", errno);
    }
  }
  if (spec_.isolation != nullptr) {
    if (const char* what = spec_.isolation->beforeCredentials()) {
      die(what, errno);
    }
  }
  if (::fchdir(spec_.rootFd) != 0 || ::chroot(".") != 0) {
    die("cannot chroot into the app rootfs", errno);
  }
  if (::chdir(spec_.workDir.c_str()) != 0) {
    int err = errno;
    char text[128];
    writeStr(spec_.errorFd, cannotChdir_);
    writeCStr(spec_.errorFd, posix::errnoTextInto(err, text, sizeof text));
    writeCStr(spec_.errorFd, "\n");
    ::_exit(254);
  }
  const Credentials& c = spec_.credentials;
  if (::setgroups(c.supplementaryGids.size(), c.supplementaryGids.data()) != 0) {
    die("cannot set supplementary groups", errno);
  }
  if (::setresgid(c.gid, c.gid, c.gid) != 0) {
    die("cannot set gid", errno);
  }
  if (::setresuid(c.uid, c.uid, c.uid) != 0) {
    die("cannot set uid", errno);
  }
  if (spec_.isolation != nullptr) {
    if (const char* what = spec_.isolation->afterCredentials()) {
      die(what, errno);
    }
  }
  ::execve(spec_.program.c_str(), argvPtrs_.data(), envPtrs_.data());
  int err = errno;
  // rkt's C diagnostics' wording (executable.hpp), C's text.
  writeStr(spec_.errorFd, err == ENOENT ? unableToOpen_ : unableToExec_);
  writeCStr(spec_.errorFd, posix::errnoDescription(err));
  writeCStr(spec_.errorFd, "\n");
  ::_exit(254);
}

}  // namespace rkt::appexec
