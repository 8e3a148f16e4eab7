// Lock semantics across processes: the process holding the pod lock makes it "running", its
// death makes it "exited", and the lock handed to a stage1 survives execve.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/support/posix/file_io.hpp"

using rkt::pod::Pod;
using rkt::pod::State;

namespace {

// The child has exec'd `sleep` and is sleeping in it (exec, including close-on-exec, is done).
bool sleepingInSleep(pid_t pid) {
  rkt::Result<std::string> comm =
      rkt::posix::readFileAt(AT_FDCWD, "/proc/" + std::to_string(pid) + "/comm");
  rkt::Result<std::string> stat =
      rkt::posix::readFileAt(AT_FDCWD, "/proc/" + std::to_string(pid) + "/stat");
  if (!comm || !stat || *comm != "sleep\n")
    return false;
  size_t close = stat->rfind(')');
  return close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] == 'S';
}

}  // namespace

class PodLockTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodLockTest);
  CPPUNIT_TEST(childHoldingLockIsRunningUntilItDies);
  CPPUNIT_TEST(lockHandedToStage1SurvivesExec);
  CPPUNIT_TEST(lockNotHandedOverDiesWithExec);
  CPPUNIT_TEST(busyLockIsNotTaken);
  CPPUNIT_TEST_SUITE_END();

 public:
  void childHoldingLockIsRunningUntilItDies() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    int fds[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe2(fds, O_CLOEXEC));
    // The child does what `rkt run` does: create, prepare, move to run, and live on.
    pid_t child = podtest::forkChild([&] {
      ::close(fds[0]);
      rkt::Result<Pod> pod = Pod::create(dirs);
      if (!pod || !pod->toRun())
        return 1;
      std::string uuid = pod->uuid().str();
      if (::write(fds[1], uuid.data(), uuid.size()) != 36)
        return 2;
      ::close(fds[1]);
      ::pause();
      return 0;
    });
    ::close(fds[1]);
    char buf[36];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    ::close(fds[0]);
    if (n != 36)
      podtest::killAndReap(child);
    CPPUNIT_ASSERT_EQUAL(ssize_t(36), n);
    rkt::pod::Uuid uuid = *rkt::pod::Uuid::parse(std::string(buf, 36));

    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    CPPUNIT_ASSERT(pod.ok());
    CPPUNIT_ASSERT_EQUAL(State::Running, pod->state());
    CPPUNIT_ASSERT(!*pod->tryLockShared());

    podtest::killAndReap(child);  // SIGKILL: the kernel releases the lock
    CPPUNIT_ASSERT(pod->refresh().ok());
    CPPUNIT_ASSERT_EQUAL(State::Exited, pod->state());
    CPPUNIT_ASSERT_EQUAL(State::Exited, podtest::stateOf(dirs, uuid));
  }

  void lockHandedToStage1SurvivesExec() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::Result<Pod> pod = Pod::create(dirs);
    CPPUNIT_ASSERT(pod->toRun().ok());
    rkt::Result<int> lockFd = pod->lockFdForExec();
    CPPUNIT_ASSERT(lockFd.ok());
    CPPUNIT_ASSERT_EQUAL(pod->dirFd(), *lockFd);
    CPPUNIT_ASSERT_EQUAL(0, ::fcntl(*lockFd, F_GETFD) & FD_CLOEXEC);
    const rkt::pod::Uuid uuid = pod->uuid();

    pid_t child = podtest::forkChild([&] {
      ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
      return 127;
    });
    { Pod closing = std::move(*pod); }  // only the exec'd child holds the lock now
    bool execd = podtest::eventually([&] { return sleepingInSleep(child); });
    State state = podtest::stateOf(dirs, uuid);
    podtest::killAndReap(child);
    CPPUNIT_ASSERT(execd);
    CPPUNIT_ASSERT_EQUAL(State::Running, state);
    CPPUNIT_ASSERT_EQUAL(State::Exited, podtest::stateOf(dirs, uuid));
  }

  void lockNotHandedOverDiesWithExec() {
    // The control for the test above: without lockFdForExec, exec closes the lock fd.
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::Result<Pod> pod = Pod::create(dirs);
    CPPUNIT_ASSERT(pod->toRun().ok());
    CPPUNIT_ASSERT(::fcntl(pod->dirFd(), F_GETFD) & FD_CLOEXEC);
    const rkt::pod::Uuid uuid = pod->uuid();
    pid_t child = podtest::forkChild([&] {
      ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
      return 127;
    });
    { Pod closing = std::move(*pod); }
    bool execd = podtest::eventually([&] { return sleepingInSleep(child); });
    bool exited =
        podtest::eventually([&] { return podtest::stateOf(dirs, uuid) == State::Exited; });
    podtest::killAndReap(child);
    CPPUNIT_ASSERT(execd);
    CPPUNIT_ASSERT(exited);
  }

  void busyLockIsNotTaken() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::pod::Uuid uuid = podtest::makePreparedPod(dirs);
    podtest::Signal locked;
    pid_t child = podtest::forkChild([&] {
      rkt::Result<Pod> pod = Pod::open(dirs, uuid);
      if (!pod || !pod->lockExclusive())
        return 1;
      locked.notify();
      ::pause();
      return 0;
    });
    CPPUNIT_ASSERT(locked.wait());
    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    rkt::Result<bool> ex = pod->tryLockExclusive();
    rkt::Result<bool> sh = pod->tryLockShared();
    podtest::killAndReap(child);
    CPPUNIT_ASSERT(ex.ok() && !*ex);
    CPPUNIT_ASSERT(sh.ok() && !*sh);
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::None);
    CPPUNIT_ASSERT(*pod->tryLockExclusive());
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::Exclusive);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodLockTest);
