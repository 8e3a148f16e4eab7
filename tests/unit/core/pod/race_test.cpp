// Races between processes: rename(2) decides, losers see ENOENT, lookups follow moving pods.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <new>

#include "pod_test_support.hpp"
#include "rkt/core/pod/gc.hpp"
#include "rkt/core/pod/pod.hpp"

using rkt::pod::Phase;
using rkt::pod::Pod;
using rkt::pod::State;

namespace {

constexpr int kWon = 0;
constexpr int kLostRace = 10;
constexpr int kBusy = 11;
constexpr int kOtherError = 20;

// Two children open the same prepared pod, wait for the start signal, and race toRun. The
// winner holds the lock briefly, as a stage1 would, then exits.
std::vector<int> raceToRun(const rkt::pod::PodDirs& dirs, const rkt::pod::Uuid& uuid,
                           rkt::pod::LockWait wait) {
  podtest::Signal start;
  podtest::Signal ready;  // each child notifies once it holds the pod open in prepared/
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    children.push_back(podtest::forkChild([&] {
      start.closeWrite();
      rkt::Result<Pod> pod = Pod::open(dirs, uuid);
      if (!pod || pod->state() != State::Prepared)
        return kOtherError + 1;
      ready.notify();
      start.wait();  // EOF once the parent closes its end: everyone starts together
      rkt::Status s = pod->toRun(wait);
      if (s.ok()) {
        ::usleep(50 * 1000);
        return pod->state() == State::Running ? kWon : kOtherError + 2;
      }
      if (s.error().sysErrno == ENOENT)
        return kLostRace;
      if (s.error().sysErrno == EWOULDBLOCK)
        return kBusy;
      return kOtherError;
    }));
  }
  // Both must have opened the pod before either may move it: under load a slow child would
  // otherwise find the pod already in run/.
  ready.closeWrite();  // a child that dies before notifying then ends the wait (EOF)
  for (size_t i = 0; i < children.size(); ++i)
    ready.wait();
  start.closeWrite();
  std::vector<int> codes;
  for (pid_t pid : children)
    codes.push_back(podtest::waitChild(pid));
  std::sort(codes.begin(), codes.end());
  return codes;
}

}  // namespace

class PodRaceTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodRaceTest);
  CPPUNIT_TEST(exactlyOneRunPreparedWins);
  CPPUNIT_TEST(exactlyOneNonBlockingRunPreparedWins);
  CPPUNIT_TEST(concurrentGcMarksEachPodOnce);
  CPPUNIT_TEST(lookupsFollowPodsMovedConcurrently);
  CPPUNIT_TEST_SUITE_END();

 public:
  void exactlyOneRunPreparedWins() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    for (int round = 0; round < 5; ++round) {
      rkt::pod::Uuid uuid = podtest::makePreparedPod(dirs);
      std::vector<int> codes = raceToRun(dirs, uuid, rkt::pod::LockWait::Block);
      // The loser waited for the lock, then found the pod gone from prepared/.
      CPPUNIT_ASSERT_EQUAL(kWon, codes[0]);
      CPPUNIT_ASSERT_EQUAL(kLostRace, codes[1]);
      CPPUNIT_ASSERT(podtest::exists(dirs.podPath(Phase::Run, uuid)));
      CPPUNIT_ASSERT(!podtest::exists(dirs.podPath(Phase::Prepared, uuid)));
      CPPUNIT_ASSERT_EQUAL(State::Exited, podtest::stateOf(dirs, uuid));
    }
  }

  void exactlyOneNonBlockingRunPreparedWins() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    for (int round = 0; round < 5; ++round) {
      rkt::pod::Uuid uuid = podtest::makePreparedPod(dirs);
      std::vector<int> codes = raceToRun(dirs, uuid, rkt::pod::LockWait::NoBlock);
      CPPUNIT_ASSERT_EQUAL(kWon, codes[0]);
      CPPUNIT_ASSERT(codes[1] == kLostRace || codes[1] == kBusy);
      CPPUNIT_ASSERT_EQUAL(State::Exited, podtest::stateOf(dirs, uuid));
    }
  }

  void concurrentGcMarksEachPodOnce() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs = tmp.dirs();
    constexpr int kPods = 30;
    for (int i = 0; i < kPods; ++i)
      podtest::makeExitedPod(dirs);
    podtest::Signal start;
    std::vector<pid_t> children;
    for (int i = 0; i < 2; ++i) {
      children.push_back(podtest::forkChild([&] {
        start.closeWrite();
        start.wait();
        rkt::Result<rkt::pod::MarkReport> r = rkt::pod::markExitedPods(dirs);
        if (!r || !r->errors.empty())
          return 200;
        return static_cast<int>(r->moved.size());
      }));
    }
    ::usleep(20 * 1000);
    start.closeWrite();
    int a = podtest::waitChild(children[0]);
    int b = podtest::waitChild(children[1]);
    CPPUNIT_ASSERT(a <= kPods && b <= kPods);
    CPPUNIT_ASSERT_EQUAL(kPods, a + b);
    CPPUNIT_ASSERT_EQUAL(size_t(0), rkt::pod::listPods(dirs, {Phase::Run})->size());
    CPPUNIT_ASSERT_EQUAL(size_t(kPods), rkt::pod::listPods(dirs, {Phase::ExitedGarbage})->size());
  }

  void lookupsFollowPodsMovedConcurrently() {
    podtest::TempDataDir tmp(podtest::fastTempBase());
    rkt::pod::PodDirs dirs = tmp.dirs();
    constexpr int kPods = 200;
    std::vector<rkt::pod::Uuid> uuids;
    for (int i = 0; i < kPods; ++i)
      uuids.push_back(podtest::makePreparedPod(dirs));
    // The index of the pod the mover is moving, shared so the parent can hammer exactly that
    // pod while it moves.
    void* shared = ::mmap(nullptr, sizeof(std::atomic<int>), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CPPUNIT_ASSERT(shared != MAP_FAILED);
    auto* current = new (shared) std::atomic<int>(0);

    // The child walks every pod through prepared -> run -> (exit) -> exited-garbage.
    pid_t mover = podtest::forkChild([&] {
      for (int i = 0; i < kPods; ++i) {
        current->store(i);
        ::usleep(200);
        {
          rkt::Result<Pod> pod = Pod::open(dirs, uuids[i]);
          if (!pod || !pod->toRun())
            return 1;
        }
        rkt::Result<Pod> pod = Pod::open(dirs, uuids[i]);
        if (!pod || !pod->toExitedGarbage())
          return 2;
      }
      return 0;
    });
    int opens = 0, failures = 0, bad = 0;
    int status = 0;
    while (::waitpid(mover, &status, WNOHANG) == 0) {
      rkt::Result<Pod> pod = Pod::open(dirs, uuids[static_cast<size_t>(current->load())]);
      ++opens;
      if (!pod) {
        ++failures;
        continue;
      }
      State s = pod->state();
      if (s != State::Prepared && s != State::Running && s != State::Exited &&
          s != State::ExitedGarbage) {
        ++bad;
      }
    }
    ::munmap(shared, sizeof(std::atomic<int>));
    CPPUNIT_ASSERT(WIFEXITED(status));
    CPPUNIT_ASSERT_EQUAL(0, WEXITSTATUS(status));
    CPPUNIT_ASSERT(opens > kPods);
    CPPUNIT_ASSERT_EQUAL(0, failures);
    CPPUNIT_ASSERT_EQUAL(0, bad);
    for (const rkt::pod::Uuid& uuid : uuids) {
      CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, podtest::stateOf(dirs, uuid));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodRaceTest);
