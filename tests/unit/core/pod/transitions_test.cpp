// Every pod transition, checked on disk (which directory holds the pod) and through a second,
// independent opener (what another rkt process would see).
#include <cppunit/extensions/HelperMacros.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/pod.hpp"

using podtest::exists;
using rkt::pod::Phase;
using rkt::pod::Pod;
using rkt::pod::State;

class PodTransitionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodTransitionTest);
  CPPUNIT_TEST(createEmbryoThenPrepare);
  CPPUNIT_TEST(createIsPreparingAndLocked);
  CPPUNIT_TEST(prepareToPreparedReleasesLock);
  CPPUNIT_TEST(prepareToRunKeepsLock);
  CPPUNIT_TEST(preparedToRunTakesLock);
  CPPUNIT_TEST(preparedToRunNoBlockRefusesLockedPod);
  CPPUNIT_TEST(releasedPreparingPodIsAbortedPrepare);
  CPPUNIT_TEST(exitedToExitedGarbage);
  CPPUNIT_TEST(abortedPrepareAndPreparedToGarbage);
  CPPUNIT_TEST(lockedGarbageIsDeleting);
  CPPUNIT_TEST(refusesInvalidTransitions);
  CPPUNIT_TEST(refreshFollowsMoves);
  CPPUNIT_TEST(openingUnknownPodFails);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    tmp_ = std::make_unique<podtest::TempDataDir>();
    dirs_ = std::make_unique<rkt::pod::PodDirs>(tmp_->dirs());
  }
  void tearDown() override {
    dirs_.reset();
    tmp_.reset();
  }

  void createEmbryoThenPrepare() {
    rkt::Result<Pod> pod = Pod::createEmbryo(*dirs_);
    CPPUNIT_ASSERT(pod.ok());
    CPPUNIT_ASSERT_EQUAL(Phase::Embryo, pod->phase());
    CPPUNIT_ASSERT_EQUAL(State::Embryo, pod->state());
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Embryo, pod->uuid())));
    CPPUNIT_ASSERT_EQUAL(State::Embryo, podtest::stateOf(*dirs_, pod->uuid()));
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::Exclusive);

    CPPUNIT_ASSERT(pod->toPreparing().ok());
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Embryo, pod->uuid())));
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Prepare, pod->uuid())));
    CPPUNIT_ASSERT_EQUAL(State::Preparing, pod->state());
    CPPUNIT_ASSERT_EQUAL(State::Preparing, podtest::stateOf(*dirs_, pod->uuid()));
  }

  void createIsPreparingAndLocked() {
    rkt::Result<Pod> pod = Pod::create(*dirs_);
    CPPUNIT_ASSERT(pod.ok());
    CPPUNIT_ASSERT_EQUAL(Phase::Prepare, pod->phase());
    CPPUNIT_ASSERT_EQUAL(dirs_->podPath(Phase::Prepare, pod->uuid()), pod->path());
    CPPUNIT_ASSERT(exists(pod->path()));
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Embryo, pod->uuid())));

    rkt::Result<Pod> other = Pod::open(*dirs_, pod->uuid());
    CPPUNIT_ASSERT(other.ok());
    CPPUNIT_ASSERT_EQUAL(State::Preparing, other->state());
    CPPUNIT_ASSERT(other->heldLock() == Pod::Lock::None);
    rkt::Result<bool> got = other->tryLockExclusive();
    CPPUNIT_ASSERT(got.ok());
    CPPUNIT_ASSERT(!*got);
  }

  void prepareToPreparedReleasesLock() {
    rkt::Result<Pod> pod = Pod::create(*dirs_);
    CPPUNIT_ASSERT(pod->toPrepared().ok());
    CPPUNIT_ASSERT_EQUAL(Phase::Prepared, pod->phase());
    CPPUNIT_ASSERT_EQUAL(State::Prepared, pod->state());
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::None);
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Prepare, pod->uuid())));
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Prepared, pod->uuid())));

    rkt::Result<Pod> other = Pod::open(*dirs_, pod->uuid());
    CPPUNIT_ASSERT_EQUAL(State::Prepared, other->state());
    CPPUNIT_ASSERT(*other->tryLockExclusive());
  }

  void prepareToRunKeepsLock() {
    rkt::Result<Pod> pod = Pod::create(*dirs_);
    CPPUNIT_ASSERT(pod->toRun().ok());
    CPPUNIT_ASSERT_EQUAL(Phase::Run, pod->phase());
    CPPUNIT_ASSERT_EQUAL(State::Running, pod->state());
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::Exclusive);
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Run, pod->uuid())));
    CPPUNIT_ASSERT_EQUAL(State::Running, podtest::stateOf(*dirs_, pod->uuid()));

    const rkt::pod::Uuid uuid = pod->uuid();
    { Pod closing = std::move(*pod); }  // closes the fd, and with it the lock
    CPPUNIT_ASSERT_EQUAL(State::Exited, podtest::stateOf(*dirs_, uuid));
  }

  void preparedToRunTakesLock() {
    rkt::pod::Uuid uuid = podtest::makePreparedPod(*dirs_);
    rkt::Result<Pod> pod = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT(pod->toRun().ok());
    CPPUNIT_ASSERT_EQUAL(State::Running, pod->state());
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::Exclusive);
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Prepared, uuid)));
    CPPUNIT_ASSERT_EQUAL(State::Running, podtest::stateOf(*dirs_, uuid));
  }

  void preparedToRunNoBlockRefusesLockedPod() {
    rkt::pod::Uuid uuid = podtest::makePreparedPod(*dirs_);
    rkt::Result<Pod> holder = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT(*holder->tryLockExclusive());
    rkt::Result<Pod> pod = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT_EQUAL(State::Prepared, pod->state());  // the lock means nothing in prepared/
    rkt::Status s = pod->toRun(rkt::pod::LockWait::NoBlock);
    CPPUNIT_ASSERT(!s.ok());
    CPPUNIT_ASSERT_EQUAL(EWOULDBLOCK, s.error().sysErrno);
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Prepared, uuid)));
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::None);
  }

  void releasedPreparingPodIsAbortedPrepare() {
    rkt::pod::Uuid uuid = podtest::makeAbortedPrepare(*dirs_);
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Prepare, uuid)));
    CPPUNIT_ASSERT_EQUAL(State::AbortedPrepare, podtest::stateOf(*dirs_, uuid));
    // The probe does not keep a lock: an exclusive lock is still free afterwards.
    rkt::Result<Pod> a = Pod::open(*dirs_, uuid);
    rkt::Result<Pod> b = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT(*b->tryLockExclusive());
  }

  void exitedToExitedGarbage() {
    rkt::pod::Uuid uuid = podtest::makeExitedPod(*dirs_);
    rkt::Result<Pod> pod = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT_EQUAL(State::Exited, pod->state());
    CPPUNIT_ASSERT(pod->toExitedGarbage().ok());
    CPPUNIT_ASSERT_EQUAL(Phase::ExitedGarbage, pod->phase());
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, pod->state());
    CPPUNIT_ASSERT(pod->heldLock() == Pod::Lock::None);
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Run, uuid)));
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::ExitedGarbage, uuid)));
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, podtest::stateOf(*dirs_, uuid));
    // Locked there, it is being deleted.
    CPPUNIT_ASSERT(*pod->tryLockExclusive());
    CPPUNIT_ASSERT_EQUAL(State::ExitedDeleting, pod->state());
    CPPUNIT_ASSERT_EQUAL(State::ExitedDeleting, podtest::stateOf(*dirs_, uuid));
  }

  void abortedPrepareAndPreparedToGarbage() {
    rkt::pod::Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    rkt::Result<Pod> a = Pod::open(*dirs_, aborted);
    CPPUNIT_ASSERT(a->toGarbage().ok());
    CPPUNIT_ASSERT_EQUAL(State::Garbage, a->state());
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::Garbage, aborted)));
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Prepare, aborted)));

    rkt::pod::Uuid prepared = podtest::makePreparedPod(*dirs_);
    rkt::Result<Pod> p = Pod::open(*dirs_, prepared);
    CPPUNIT_ASSERT(p->toGarbage().ok());
    CPPUNIT_ASSERT_EQUAL(State::Garbage, podtest::stateOf(*dirs_, prepared));
    CPPUNIT_ASSERT(!exists(dirs_->podPath(Phase::Prepared, prepared)));
  }

  void lockedGarbageIsDeleting() {
    rkt::pod::Uuid uuid = podtest::makeAbortedPrepare(*dirs_);
    rkt::Result<Pod> pod = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT(pod->toGarbage().ok());
    CPPUNIT_ASSERT(pod->lockExclusive().ok());
    CPPUNIT_ASSERT_EQUAL(State::Deleting, pod->state());
    CPPUNIT_ASSERT_EQUAL(State::Deleting, podtest::stateOf(*dirs_, uuid));
    CPPUNIT_ASSERT(pod->unlock().ok());
    CPPUNIT_ASSERT_EQUAL(State::Garbage, pod->state());
  }

  void refusesInvalidTransitions() {
    // Without the lock the creator had, nothing may move a preparing pod forward.
    rkt::pod::Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    rkt::Result<Pod> a = Pod::open(*dirs_, aborted);
    rkt::Status s = a->toPrepared();
    CPPUNIT_ASSERT(!s.ok());
    CPPUNIT_ASSERT_EQUAL(ENOLCK, s.error().sysErrno);
    s = a->toRun();
    CPPUNIT_ASSERT_EQUAL(ENOLCK, s.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL(State::AbortedPrepare, podtest::stateOf(*dirs_, aborted));

    // A preparing pod is not garbage.
    rkt::Result<Pod> preparing = Pod::create(*dirs_);
    rkt::Result<Pod> observer = Pod::open(*dirs_, preparing->uuid());
    s = observer->toGarbage();
    CPPUNIT_ASSERT_EQUAL(EBUSY, s.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL(State::Preparing, podtest::stateOf(*dirs_, preparing->uuid()));

    // A running pod is not exited.
    rkt::Result<Pod> running = Pod::create(*dirs_);
    CPPUNIT_ASSERT(running->toRun().ok());
    rkt::Result<Pod> watcher = Pod::open(*dirs_, running->uuid());
    s = watcher->toExitedGarbage();
    CPPUNIT_ASSERT_EQUAL(EBUSY, s.error().sysErrno);
    CPPUNIT_ASSERT(s.error().message.find("it is running") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(State::Running, podtest::stateOf(*dirs_, running->uuid()));

    // Wrong phases.
    s = watcher->toGarbage();
    CPPUNIT_ASSERT_EQUAL(EINVAL, s.error().sysErrno);
    s = watcher->toPreparing();
    CPPUNIT_ASSERT_EQUAL(EINVAL, s.error().sysErrno);
    s = observer->toExitedGarbage();
    CPPUNIT_ASSERT_EQUAL(EINVAL, s.error().sysErrno);
    rkt::pod::Uuid exited = podtest::makeExitedPod(*dirs_);
    rkt::Result<Pod> e = Pod::open(*dirs_, exited);
    s = e->toRun();
    CPPUNIT_ASSERT_EQUAL(EINVAL, s.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL(
        std::string("cannot run pod `" + exited.str() + "`: it is exited, not prepared"),
        s.error().message);
    rkt::Result<int> fd = e->lockFdForExec();
    CPPUNIT_ASSERT(!fd.ok());
  }

  void refreshFollowsMoves() {
    rkt::pod::Uuid uuid = podtest::makePreparedPod(*dirs_);
    rkt::Result<Pod> watcher = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT_EQUAL(Phase::Prepared, watcher->phase());
    {
      rkt::Result<Pod> runner = Pod::open(*dirs_, uuid);
      CPPUNIT_ASSERT(runner->toRun().ok());
      CPPUNIT_ASSERT(watcher->refresh().ok());
      CPPUNIT_ASSERT_EQUAL(Phase::Run, watcher->phase());
      CPPUNIT_ASSERT_EQUAL(State::Running, watcher->state());
    }
    CPPUNIT_ASSERT(watcher->refresh().ok());
    CPPUNIT_ASSERT_EQUAL(State::Exited, watcher->state());
    // The watcher's fd follows the directory: it can move it on.
    CPPUNIT_ASSERT(watcher->toExitedGarbage().ok());
    CPPUNIT_ASSERT(exists(dirs_->podPath(Phase::ExitedGarbage, uuid)));
    // Removed behind its back, the pod is gone.
    CPPUNIT_ASSERT(rkt::posix::removeTree(watcher->path()).ok());
    CPPUNIT_ASSERT(watcher->refresh().ok());
    CPPUNIT_ASSERT_EQUAL(State::Gone, watcher->state());
    CPPUNIT_ASSERT_EQUAL(-1, watcher->dirFd());
  }

  void openingUnknownPodFails() {
    CPPUNIT_ASSERT(dirs_->ensure().ok());
    rkt::pod::Uuid uuid = *rkt::pod::Uuid::generate();
    rkt::Result<Pod> pod = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT(!pod.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, pod.error().sysErrno);
    CPPUNIT_ASSERT(pod.error().message.find("cannot open pod `" + uuid.str() + "`") == 0);
  }

 private:
  std::unique_ptr<podtest::TempDataDir> tmp_;
  std::unique_ptr<rkt::pod::PodDirs> dirs_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodTransitionTest);
