// Helpers shared by the pod library's unit tests: a throw-away $DATA, files with chosen
// mtimes, and forked children (which report through their exit status, never through CppUnit).
#ifndef RKT_TESTS_UNIT_CORE_POD_POD_TEST_SUPPORT_HPP
#define RKT_TESTS_UNIT_CORE_POD_POD_TEST_SUPPORT_HPP

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "rkt/core/pod/pod.hpp"
#include "rkt/support/posix/remove_tree.hpp"

// For CPPUNIT_ASSERT_EQUAL messages.
namespace rkt::pod {
inline std::ostream& operator<<(std::ostream& os, State s) {
  return os << stateName(s);
}
inline std::ostream& operator<<(std::ostream& os, Phase p) {
  return os << phaseDirName(p);
}
inline std::ostream& operator<<(std::ostream& os, const Uuid& u) {
  return os << u.str();
}
}  // namespace rkt::pod

namespace podtest {

/// A fresh data directory under `base` (/tmp by default), removed (with everything below it)
/// on destruction.
class TempDataDir {
 public:
  explicit TempDataDir(const std::string& base = "/tmp") {
    std::string tmpl = base + "/rkt-pod-test-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDataDir() { (void)rkt::posix::removeTree(path_); }
  TempDataDir(const TempDataDir&) = delete;
  TempDataDir& operator=(const TempDataDir&) = delete;
  const std::string& path() const { return path_; }
  rkt::pod::PodDirs dirs() const { return rkt::pod::PodDirs(path_); }

 private:
  std::string path_;
};

/// /dev/shm when it is usable (tmpfs: fsync costs nothing, so races get many more rounds in
/// the same time), else /tmp.
inline std::string fastTempBase() {
  return ::access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
}

inline void writeFile(const std::string& path, const std::string& content, mode_t mode = 0644) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::runtime_error("cannot create " + path);
  if (::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    ::close(fd);
    throw std::runtime_error("cannot write " + path);
  }
  ::close(fd);
}

inline void makeDirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos == path.size() || path[pos] == '/')
      ::mkdir(path.substr(0, pos).c_str(), 0755);
  }
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

/// Sets a file's mtime (no symlink following) to `sec`.`nsec`.
inline void setMtime(const std::string& path, time_t sec, long nsec = 0) {
  struct timespec times[2] = {{0, UTIME_OMIT}, {sec, nsec}};
  if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    throw std::runtime_error("cannot set mtime of " + path);
  }
}

inline std::chrono::system_clock::time_point at(time_t sec, long nsec = 0) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(sec) + std::chrono::nanoseconds(nsec)));
}

/// Forks; the child runs `fn` and _exits with its result (255 if it throws).
inline pid_t forkChild(const std::function<int()>& fn) {
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int code = 255;
    try {
      code = fn();
    } catch (...) {
    }
    ::_exit(code);
  }
  return pid;
}

/// The child's exit code; 128+signal when killed.
inline int waitChild(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return -1;
  }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return -1;
}

inline void killAndReap(pid_t pid) {
  ::kill(pid, SIGKILL);
  (void)waitChild(pid);
}

/// A pipe used as a one-shot signal between processes.
class Signal {
 public:
  Signal() {
    if (::pipe2(fds_, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe failed");
  }
  ~Signal() {
    closeRead();
    closeWrite();
  }
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;
  void notify() {
    char c = 'x';
    (void)!::write(fds_[1], &c, 1);
  }
  /// Blocks until notify() or until every writer closed; true when notified.
  bool wait() {
    char c = 0;
    ssize_t n;
    do {
      n = ::read(fds_[0], &c, 1);
    } while (n < 0 && errno == EINTR);
    return n == 1;
  }
  void closeRead() {
    if (fds_[0] >= 0)
      ::close(fds_[0]);
    fds_[0] = -1;
  }
  void closeWrite() {
    if (fds_[1] >= 0)
      ::close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

/// Polls `cond` every 5 ms for up to `limit`.
inline bool eventually(const std::function<bool()>& cond,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return cond();
}

/// A pod moved to run/ and then released: "exited".
inline rkt::pod::Uuid makeExitedPod(const rkt::pod::PodDirs& dirs) {
  rkt::Result<rkt::pod::Pod> pod = rkt::pod::Pod::create(dirs);
  if (!pod || !pod->toRun())
    throw std::runtime_error("cannot make an exited pod");
  return pod->uuid();
}

/// A pod moved to prepared/.
inline rkt::pod::Uuid makePreparedPod(const rkt::pod::PodDirs& dirs) {
  rkt::Result<rkt::pod::Pod> pod = rkt::pod::Pod::create(dirs);
  if (!pod || !pod->toPrepared())
    throw std::runtime_error("cannot make a prepared pod");
  return pod->uuid();
}

/// A pod left in prepare/ unlocked: "aborted prepare".
inline rkt::pod::Uuid makeAbortedPrepare(const rkt::pod::PodDirs& dirs) {
  rkt::Result<rkt::pod::Pod> pod = rkt::pod::Pod::create(dirs);
  if (!pod)
    throw std::runtime_error("cannot make a pod");
  return pod->uuid();
}

inline rkt::pod::State stateOf(const rkt::pod::PodDirs& dirs, const rkt::pod::Uuid& uuid) {
  rkt::Result<rkt::pod::Pod> pod = rkt::pod::Pod::open(dirs, uuid);
  return pod ? pod->state() : rkt::pod::State::Gone;
}

}  // namespace podtest

#endif  // RKT_TESTS_UNIT_CORE_POD_POD_TEST_SUPPORT_HPP
