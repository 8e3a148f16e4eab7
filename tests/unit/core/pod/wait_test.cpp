// status --wait / --wait-ready and enter's wait for pid 1.
#include <cppunit/extensions/HelperMacros.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/wait.hpp"

using namespace std::chrono_literals;
using rkt::pod::Pod;
using rkt::pod::State;

namespace {

// A child that runs a pod (holds its lock) for `lifetime`, then dies.
pid_t runPodFor(const rkt::pod::PodDirs& dirs, rkt::pod::Uuid& uuid,
                std::chrono::milliseconds lifetime) {
  rkt::Result<Pod> pod = Pod::create(dirs);
  if (!pod || !pod->toRun())
    throw std::runtime_error("cannot run a pod");
  uuid = pod->uuid();
  pid_t child = podtest::forkChild([&] {
    std::this_thread::sleep_for(lifetime);
    return 0;
  });
  return child;  // `pod` closes here: the child's inherited fd holds the lock alone
}

}  // namespace

class PodWaitTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodWaitTest);
  CPPUNIT_TEST(finishedPodNeedsNoWait);
  CPPUNIT_TEST(waitsUntilPodExits);
  CPPUNIT_TEST(waitTimesOut);
  CPPUNIT_TEST(waitsUntilReady);
  CPPUNIT_TEST(readyTimesOutAndFailsForExitedPods);
  CPPUNIT_TEST(waitsForPid1);
  CPPUNIT_TEST_SUITE_END();

 public:
  void finishedPodNeedsNoWait() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::Result<Pod> exited = Pod::open(dirs, podtest::makeExitedPod(dirs));
    CPPUNIT_ASSERT(rkt::pod::waitFinished(*exited, 0ms).ok());
    rkt::Result<Pod> aborted = Pod::open(dirs, podtest::makeAbortedPrepare(dirs));
    CPPUNIT_ASSERT(rkt::pod::waitFinished(*aborted, 0ms).ok());
    // A pod deleted while we wait is finished too.
    CPPUNIT_ASSERT(rkt::posix::removeTree(exited->path()).ok());
    CPPUNIT_ASSERT(rkt::pod::waitFinished(*exited, 0ms).ok());
    CPPUNIT_ASSERT_EQUAL(State::Gone, exited->state());
  }

  void waitsUntilPodExits() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::pod::Uuid uuid;
    pid_t child = runPodFor(dirs, uuid, 300ms);
    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    CPPUNIT_ASSERT_EQUAL(State::Running, pod->state());
    rkt::Status s = rkt::pod::waitFinished(*pod, rkt::pod::kWaitForever);
    podtest::killAndReap(child);
    CPPUNIT_ASSERT(s.ok());
    CPPUNIT_ASSERT_EQUAL(State::Exited, pod->state());
  }

  void waitTimesOut() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::pod::Uuid uuid;
    pid_t child = runPodFor(dirs, uuid, 30s);
    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    auto before = std::chrono::steady_clock::now();
    rkt::Status s = rkt::pod::waitFinished(*pod, 100ms);
    auto waited = std::chrono::steady_clock::now() - before;
    podtest::killAndReap(child);
    CPPUNIT_ASSERT(!s.ok());
    CPPUNIT_ASSERT_EQUAL(ETIMEDOUT, s.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL("timed out waiting for pod `" + uuid.str() + "` to finish",
                         s.error().message);
    CPPUNIT_ASSERT(waited >= 100ms);
    CPPUNIT_ASSERT_EQUAL(State::Running, pod->state());
  }

  void waitsUntilReady() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::pod::Uuid uuid;
    pid_t child = runPodFor(dirs, uuid, 30s);
    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    const std::string rktDir = pod->path() + "/stage1/rootfs/rkt";
    podtest::makeDirs(rktDir);
    // The "supervisor" becomes ready a little later.
    pid_t supervisor = podtest::forkChild([&] {
      std::this_thread::sleep_for(150ms);
      return ::symlink("ready", (rktDir + "/supervisor-status").c_str()) == 0 ? 0 : 1;
    });
    rkt::Status s = rkt::pod::waitReady(*pod, 10s);
    int supervisorExit = podtest::waitChild(supervisor);
    podtest::killAndReap(child);
    CPPUNIT_ASSERT_EQUAL(0, supervisorExit);
    CPPUNIT_ASSERT_MESSAGE(s.ok() ? "" : s.error().message, s.ok());
  }

  void readyTimesOutAndFailsForExitedPods() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::pod::Uuid uuid;
    pid_t child = runPodFor(dirs, uuid, 30s);
    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    rkt::Status s = rkt::pod::waitReady(*pod, 50ms);
    podtest::killAndReap(child);
    CPPUNIT_ASSERT_EQUAL(ETIMEDOUT, s.error().sysErrno);
    // The pod has exited now: it will never become ready, and waiting forever would hang.
    s = rkt::pod::waitReady(*pod, rkt::pod::kWaitForever);
    CPPUNIT_ASSERT(!s.ok());
    CPPUNIT_ASSERT_EQUAL("pod `" + uuid.str() + "` is exited and will never be ready",
                         s.error().message);
  }

  void waitsForPid1() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    rkt::pod::Uuid uuid;
    pid_t child = runPodFor(dirs, uuid, 30s);
    rkt::Result<Pod> pod = Pod::open(dirs, uuid);
    const std::string pidFile = pod->path() + "/pid";
    pid_t writer = podtest::forkChild([&] {
      std::this_thread::sleep_for(100ms);
      podtest::writeFile(pidFile, "31337\n");
      return 0;
    });
    rkt::Result<pid_t> pid = rkt::pod::waitPid1(*pod, 10s);
    (void)podtest::waitChild(writer);
    podtest::killAndReap(child);
    CPPUNIT_ASSERT(pid.ok());
    CPPUNIT_ASSERT_EQUAL(pid_t(31337), *pid);
    // Exited pods without a pid are not waited for.
    rkt::Result<Pod> exited = Pod::open(dirs, podtest::makeExitedPod(dirs));
    rkt::Result<pid_t> none = rkt::pod::waitPid1(*exited, rkt::pod::kWaitForever);
    CPPUNIT_ASSERT(!none.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, none.error().sysErrno);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodWaitTest);
