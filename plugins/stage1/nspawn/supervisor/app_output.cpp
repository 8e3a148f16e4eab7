#include "app_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::nspawn {

namespace {

void makePipe(posix::UniqueFd& readEnd, posix::UniqueFd& writeEnd, const std::string& what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    posix::throwSys("cannot create a pipe for the " + what);
  }
  readEnd = posix::UniqueFd(fds[0]);
  writeEnd = posix::UniqueFd(fds[1]);
}

posix::UniqueFd openLog(const std::string& path) {
  posix::UniqueFd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!fd.valid()) {
    posix::throwSys("cannot open `" + path + "`");
  }
  return fd;
}

}  // namespace

AppOutput::AppOutput(const std::string& logDir, const std::string& app)
    : logPath_(logDir + "/" + app) {
  if (::mkdir(logDir.c_str(), 0750) != 0 && errno != EEXIST) {
    posix::throwSys("cannot create `" + logDir + "`");
  }
  logFd_ = openLog(logPath_);
  struct stat st {};
  logSize_ = ::fstat(logFd_.get(), &st) == 0 ? st.st_size : 0;
  makePipe(out_, outWrite_, "stdout of app `" + app + "`");
  makePipe(err_, errWrite_, "stderr of app `" + app + "`");
}

void AppOutput::redirectChild() const {
  ::dup2(outWrite_.get(), STDOUT_FILENO);
  ::dup2(errWrite_.get(), STDERR_FILENO);
}

void AppOutput::closeWriteEnds() {
  outWrite_ = posix::UniqueFd();
  errWrite_ = posix::UniqueFd();
}

void AppOutput::log(const char* data, size_t len) {
  if (!logFd_.valid()) {
    return;
  }
  if (logSize_ > 0 && logSize_ + static_cast<off_t>(len) > kLogCapBytes) {
    // Keep the last full file; a rename is atomic for a reader (`rkt logs`).
    if (::rename(logPath_.c_str(), (logPath_ + ".1").c_str()) == 0) {
      try {
        logFd_ = openLog(logPath_);
        logSize_ = 0;
      } catch (const std::exception&) {
        logFd_ = posix::UniqueFd();
        return;
      }
    }
  }
  if (posix::writeAll(logFd_.get(), data, len)) {
    logSize_ += static_cast<off_t>(len);
  }
}

void AppOutput::pump(int fd, bool drain) {
  posix::UniqueFd& end = fd == out_.get() ? out_ : err_;
  const int passThrough = fd == out_.get() ? STDOUT_FILENO : STDERR_FILENO;
  if (drain) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  char buf[16384];
  do {
    const ssize_t n = posix::readSome(fd, buf, sizeof buf);
    if (n < 0 && errno == EAGAIN) {
      return;
    }
    if (n <= 0) {
      end = posix::UniqueFd();
      return;
    }
    posix::writeAll(passThrough, buf, static_cast<size_t>(n));
    log(buf, static_cast<size_t>(n));
  } while (drain);
}

}  // namespace rkt::nspawn
