// Garbage collection: marking, grace periods, expiry of prepared pods, sweeping, `rkt rm`.
// Ages come from directory ctimes, which cannot be set; the tests move "now" instead.
#include <cppunit/extensions/HelperMacros.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/gc.hpp"

using namespace std::chrono_literals;
using rkt::pod::Phase;
using rkt::pod::Pod;
using rkt::pod::State;
using rkt::pod::Uuid;

namespace {

class RecordingObserver : public rkt::pod::GcObserver {
 public:
  void markedExited(const Uuid& u) override { log("exited " + u.str()); }
  void markedAbortedPrepare(const Uuid& u) override { log("aborted " + u.str()); }
  void expiredPrepared(const Uuid& u) override { log("expired " + u.str()); }
  void withinGracePeriod(const Uuid& u) override { log("grace " + u.str()); }
  rkt::Status collecting(Pod& pod) override {
    log("collecting " + pod.uuid().str() + " " + std::string(stateName(pod.state())));
    if (pod.uuid() == refuse)
      return rkt::Error{"stage1 gc failed", EIO};
    return {};
  }
  void deleted(const Uuid& u) override { log("deleted " + u.str()); }
  void podError(const Uuid& u, const rkt::Error& e) override {
    log("error " + u.str() + " " + e.message);
  }

  bool saw(const std::string& line) const {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  }
  size_t count(const std::string& prefix) const {
    return static_cast<size_t>(std::count_if(
        lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; }));
  }

  std::vector<std::string> lines;
  Uuid refuse;

 private:
  void log(const std::string& line) { lines.push_back(line); }
};

}  // namespace

class PodGcTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodGcTest);
  CPPUNIT_TEST(marksExitedPodsOnly);
  CPPUNIT_TEST(marksAbortedPreparesOnly);
  CPPUNIT_TEST(expiresOldPreparedPods);
  CPPUNIT_TEST(selectsByGracePeriod);
  CPPUNIT_TEST(zeroGracePeriodCollectsAtOnce);
  CPPUNIT_TEST(markOnlyStopsAfterMarking);
  CPPUNIT_TEST(fullCollection);
  CPPUNIT_TEST(failedStage1CleanupKeepsPod);
  CPPUNIT_TEST(deletesPodDirectory);
  CPPUNIT_TEST(deleteRefusesPodsNotInGarbage);
  CPPUNIT_TEST(deleteRefusesLockedPods);
  CPPUNIT_TEST(removalFollowsRmRules);
  CPPUNIT_TEST(collectsAbandonedEmbryosOnly);
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

  void marksExitedPodsOnly() {
    Uuid e1 = podtest::makeExitedPod(*dirs_);
    Uuid e2 = podtest::makeExitedPod(*dirs_);
    rkt::Result<Pod> running = Pod::create(*dirs_);
    CPPUNIT_ASSERT(running->toRun().ok());
    Uuid prepared = podtest::makePreparedPod(*dirs_);

    rkt::Result<rkt::pod::MarkReport> r = rkt::pod::markExitedPods(*dirs_);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT(r->errors.empty());
    CPPUNIT_ASSERT_EQUAL(size_t(2), r->moved.size());
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, podtest::stateOf(*dirs_, e1));
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, podtest::stateOf(*dirs_, e2));
    CPPUNIT_ASSERT_EQUAL(State::Running, podtest::stateOf(*dirs_, running->uuid()));
    CPPUNIT_ASSERT_EQUAL(State::Prepared, podtest::stateOf(*dirs_, prepared));
    // Nothing left to mark.
    CPPUNIT_ASSERT(rkt::pod::markExitedPods(*dirs_)->moved.empty());
  }

  void marksAbortedPreparesOnly() {
    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    rkt::Result<Pod> preparing = Pod::create(*dirs_);
    rkt::Result<rkt::pod::MarkReport> r = rkt::pod::markAbortedPrepares(*dirs_);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(size_t(1), r->moved.size());
    CPPUNIT_ASSERT(r->moved[0] == aborted);
    CPPUNIT_ASSERT_EQUAL(State::Garbage, podtest::stateOf(*dirs_, aborted));
    CPPUNIT_ASSERT_EQUAL(State::Preparing, podtest::stateOf(*dirs_, preparing->uuid()));
  }

  void expiresOldPreparedPods() {
    Uuid prepared = podtest::makePreparedPod(*dirs_);
    const auto now = std::chrono::system_clock::now();
    CPPUNIT_ASSERT(rkt::pod::expirePreparedPods(*dirs_, 24h, now)->moved.empty());
    CPPUNIT_ASSERT(rkt::pod::expirePreparedPods(*dirs_, 24h, now + 23h)->moved.empty());
    CPPUNIT_ASSERT_EQUAL(State::Prepared, podtest::stateOf(*dirs_, prepared));
    // A prepared pod someone is about to run (lock held) is left alone.
    {
      rkt::Result<Pod> starting = Pod::open(*dirs_, prepared);
      CPPUNIT_ASSERT(*starting->tryLockExclusive());
      rkt::Result<rkt::pod::MarkReport> r = rkt::pod::expirePreparedPods(*dirs_, 24h, now + 25h);
      CPPUNIT_ASSERT(r->moved.empty() && r->errors.empty());
    }
    rkt::Result<rkt::pod::MarkReport> r = rkt::pod::expirePreparedPods(*dirs_, 24h, now + 25h);
    CPPUNIT_ASSERT_EQUAL(size_t(1), r->moved.size());
    CPPUNIT_ASSERT_EQUAL(State::Garbage, podtest::stateOf(*dirs_, prepared));
  }

  void selectsByGracePeriod() {
    Uuid exited = podtest::makeExitedPod(*dirs_);
    CPPUNIT_ASSERT_EQUAL(size_t(1), rkt::pod::markExitedPods(*dirs_)->moved.size());
    Uuid garbage = podtest::makeAbortedPrepare(*dirs_);
    CPPUNIT_ASSERT_EQUAL(size_t(1), rkt::pod::markAbortedPrepares(*dirs_)->moved.size());
    const auto now = std::chrono::system_clock::now();

    rkt::Result<rkt::pod::SweepSelection> s = rkt::pod::selectForSweep(*dirs_, 30min, now);
    CPPUNIT_ASSERT(s.ok());
    CPPUNIT_ASSERT_EQUAL(size_t(1), s->withinGrace.size());
    CPPUNIT_ASSERT(s->withinGrace[0] == exited);
    CPPUNIT_ASSERT_EQUAL(size_t(1), s->collect.size());  // garbage has no grace period
    CPPUNIT_ASSERT(s->collect[0] == garbage);

    s = rkt::pod::selectForSweep(*dirs_, 30min, now + 31min);
    CPPUNIT_ASSERT(s->withinGrace.empty());
    CPPUNIT_ASSERT_EQUAL(size_t(2), s->collect.size());
    CPPUNIT_ASSERT(s->collect[0] == exited);  // exited-garbage is swept before garbage
    CPPUNIT_ASSERT(s->collect[1] == garbage);

    // Pods being deleted by someone else are not selected.
    rkt::Result<Pod> deleting = Pod::open(*dirs_, exited);
    CPPUNIT_ASSERT(*deleting->tryLockExclusive());
    s = rkt::pod::selectForSweep(*dirs_, 30min, now + 31min);
    CPPUNIT_ASSERT_EQUAL(size_t(1), s->collect.size());
    CPPUNIT_ASSERT(s->collect[0] == garbage);
    CPPUNIT_ASSERT(s->withinGrace.empty());
  }

  void zeroGracePeriodCollectsAtOnce() {
    podtest::makeExitedPod(*dirs_);
    CPPUNIT_ASSERT_EQUAL(size_t(1), rkt::pod::markExitedPods(*dirs_)->moved.size());
    // Even with a clock behind the mark.
    rkt::Result<rkt::pod::SweepSelection> s =
        rkt::pod::selectForSweep(*dirs_, 0s, std::chrono::system_clock::now() - 1h);
    CPPUNIT_ASSERT_EQUAL(size_t(1), s->collect.size());
    CPPUNIT_ASSERT(s->withinGrace.empty());
  }

  void markOnlyStopsAfterMarking() {
    Uuid exited = podtest::makeExitedPod(*dirs_);
    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    Uuid prepared = podtest::makePreparedPod(*dirs_);
    RecordingObserver observer;
    rkt::pod::GcOptions options;
    options.markOnly = true;
    options.gracePeriod = 0s;
    options.now = std::chrono::system_clock::now() + 48h;
    CPPUNIT_ASSERT(rkt::pod::runGc(*dirs_, options, observer).ok());
    CPPUNIT_ASSERT_EQUAL(size_t(2), observer.lines.size());
    CPPUNIT_ASSERT(observer.saw("exited " + exited.str()));
    CPPUNIT_ASSERT(observer.saw("aborted " + aborted.str()));
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, podtest::stateOf(*dirs_, exited));
    CPPUNIT_ASSERT_EQUAL(State::Garbage, podtest::stateOf(*dirs_, aborted));
    CPPUNIT_ASSERT_EQUAL(State::Prepared, podtest::stateOf(*dirs_, prepared));
  }

  void fullCollection() {
    Uuid exited = podtest::makeExitedPod(*dirs_);
    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    Uuid prepared = podtest::makePreparedPod(*dirs_);
    Uuid fresh = podtest::makePreparedPod(*dirs_);
    rkt::Result<Pod> running = Pod::create(*dirs_);
    CPPUNIT_ASSERT(running->toRun().ok());
    podtest::makeDirs(dirs_->podPath(Phase::Run, exited) +
                      "/stage1/rootfs/opt/stage2/app/rootfs/etc");
    podtest::writeFile(
        dirs_->podPath(Phase::Run, exited) + "/stage1/rootfs/opt/stage2/app/rootfs/etc/x", "x");

    // First run: everything marked, the exited pod within its grace period.
    RecordingObserver first;
    rkt::pod::GcOptions options;
    options.now = std::chrono::system_clock::now();
    CPPUNIT_ASSERT(rkt::pod::runGc(*dirs_, options, first).ok());
    CPPUNIT_ASSERT(first.saw("exited " + exited.str()));
    CPPUNIT_ASSERT(first.saw("aborted " + aborted.str()));
    CPPUNIT_ASSERT(first.saw("grace " + exited.str()));
    CPPUNIT_ASSERT(first.saw("collecting " + aborted.str() + " deleting"));
    CPPUNIT_ASSERT(first.saw("deleted " + aborted.str()));
    CPPUNIT_ASSERT_EQUAL(size_t(0), first.count("error"));
    CPPUNIT_ASSERT(!podtest::exists(dirs_->podPath(Phase::Garbage, aborted)));

    // Two days later: prepared pods have expired, the grace period is over.
    RecordingObserver second;
    options.now = std::chrono::system_clock::now() + 48h;
    options.expirePrepared = 24h;
    CPPUNIT_ASSERT(rkt::pod::runGc(*dirs_, options, second).ok());
    CPPUNIT_ASSERT(second.saw("expired " + prepared.str()));
    CPPUNIT_ASSERT(second.saw("expired " + fresh.str()));
    CPPUNIT_ASSERT(second.saw("collecting " + exited.str() + " exited deleting"));
    CPPUNIT_ASSERT(second.saw("deleted " + exited.str()));
    CPPUNIT_ASSERT(second.saw("deleted " + prepared.str()));
    CPPUNIT_ASSERT_EQUAL(size_t(0), second.count("error"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), second.count("grace"));
    CPPUNIT_ASSERT(!podtest::exists(dirs_->podPath(Phase::ExitedGarbage, exited)));
    CPPUNIT_ASSERT_EQUAL(State::Running, podtest::stateOf(*dirs_, running->uuid()));
    rkt::Result<std::vector<Uuid>> left = rkt::pod::listPods(*dirs_, rkt::pod::allPhases());
    CPPUNIT_ASSERT_EQUAL(size_t(1), left->size());
  }

  void failedStage1CleanupKeepsPod() {
    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    RecordingObserver observer;
    observer.refuse = aborted;
    rkt::pod::GcOptions options;
    CPPUNIT_ASSERT(rkt::pod::runGc(*dirs_, options, observer).ok());
    CPPUNIT_ASSERT(observer.saw("error " + aborted.str() + " stage1 gc failed"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), observer.count("deleted"));
    CPPUNIT_ASSERT_EQUAL(State::Garbage, podtest::stateOf(*dirs_, aborted));
  }

  void deletesPodDirectory() {
    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    rkt::Result<Pod> pod = Pod::open(*dirs_, aborted);
    CPPUNIT_ASSERT(pod->toGarbage().ok());
    const std::string path = pod->path();
    podtest::makeDirs(path + "/stage1/rootfs/etc/deep/er");
    podtest::writeFile(path + "/stage1/rootfs/etc/deep/er/file", "x", 0);
    podtest::writeFile(path + "/pod", "{}");
    // A symlink pointing out of the pod: removed, its target untouched.
    podtest::makeDirs(tmp_->path() + "/outside");
    podtest::writeFile(tmp_->path() + "/outside/precious", "keep me");
    CPPUNIT_ASSERT_EQUAL(
        0, ::symlink((tmp_->path() + "/outside").c_str(), (path + "/stage1/rootfs/link").c_str()));
    // Root removes even what it cannot read (a pod's rootfs holds such directories).
    if (::geteuid() == 0)
      CPPUNIT_ASSERT_EQUAL(0, ::chmod((path + "/stage1/rootfs/etc/deep").c_str(), 0));

    rkt::Status s = rkt::pod::deletePod(*pod);
    CPPUNIT_ASSERT_MESSAGE(s.ok() ? "" : s.error().message, s.ok());
    CPPUNIT_ASSERT_EQUAL(State::Gone, pod->state());
    CPPUNIT_ASSERT_EQUAL(-1, pod->dirFd());
    CPPUNIT_ASSERT(!podtest::exists(path));
    CPPUNIT_ASSERT(podtest::exists(tmp_->path() + "/outside/precious"));
  }

  void deleteRefusesPodsNotInGarbage() {
    Uuid exited = podtest::makeExitedPod(*dirs_);
    rkt::Result<Pod> pod = Pod::open(*dirs_, exited);
    rkt::Status s = rkt::pod::deletePod(*pod);
    CPPUNIT_ASSERT(!s.ok());
    CPPUNIT_ASSERT_EQUAL(EINVAL, s.error().sysErrno);
    CPPUNIT_ASSERT(podtest::exists(dirs_->podPath(Phase::Run, exited)));
  }

  void deleteRefusesLockedPods() {
    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    rkt::Result<Pod> holder = Pod::open(*dirs_, aborted);
    CPPUNIT_ASSERT(holder->toGarbage().ok());
    CPPUNIT_ASSERT(*holder->tryLockShared());  // e.g. a `rkt status` probing right now
    rkt::Result<Pod> pod = Pod::open(*dirs_, aborted);
    rkt::Status s = rkt::pod::deletePod(*pod);
    CPPUNIT_ASSERT(!s.ok());
    CPPUNIT_ASSERT_EQUAL(EWOULDBLOCK, s.error().sysErrno);
    CPPUNIT_ASSERT(podtest::exists(dirs_->podPath(Phase::Garbage, aborted)));
    CPPUNIT_ASSERT(holder->unlock().ok());
    CPPUNIT_ASSERT(rkt::pod::deletePod(*pod).ok());
    CPPUNIT_ASSERT(!podtest::exists(dirs_->podPath(Phase::Garbage, aborted)));
  }

  void collectsAbandonedEmbryosOnly() {
    // One left by a creator that died (its lock went with it), one whose creator is alive.
    Uuid abandoned;
    {
      rkt::Result<Pod> dead = Pod::createEmbryo(*dirs_);
      CPPUNIT_ASSERT(dead.ok());
      abandoned = dead->uuid();
    }
    rkt::Result<Pod> alive = Pod::createEmbryo(*dirs_);
    CPPUNIT_ASSERT(alive.ok());
    rkt::pod::GcOptions options;
    options.now = std::chrono::system_clock::now();

    RecordingObserver young;
    CPPUNIT_ASSERT(rkt::pod::runGc(*dirs_, options, young).ok());
    CPPUNIT_ASSERT(podtest::exists(dirs_->podPath(Phase::Embryo, abandoned)));
    CPPUNIT_ASSERT_EQUAL(size_t(0), young.count("deleted"));

    RecordingObserver old;
    options.now += 31min;
    CPPUNIT_ASSERT(rkt::pod::runGc(*dirs_, options, old).ok());
    CPPUNIT_ASSERT(old.saw("deleted " + abandoned.str()));
    CPPUNIT_ASSERT(!podtest::exists(dirs_->podPath(Phase::Embryo, abandoned)));
    CPPUNIT_ASSERT(podtest::exists(dirs_->podPath(Phase::Embryo, alive->uuid())));
    CPPUNIT_ASSERT_EQUAL(size_t(0), old.count("error"));
    // The live one goes on as if nothing happened.
    CPPUNIT_ASSERT(alive->toPreparing().ok());
    CPPUNIT_ASSERT_EQUAL(State::Preparing, alive->state());
  }

  void removalFollowsRmRules() {
    rkt::Result<Pod> running = Pod::create(*dirs_);
    CPPUNIT_ASSERT(running->toRun().ok());
    rkt::Result<Pod> preparing = Pod::create(*dirs_);
    const std::string q = "pod \"";
    rkt::Result<Pod> r = Pod::open(*dirs_, running->uuid());
    rkt::Status s = rkt::pod::markForRemoval(*r);
    CPPUNIT_ASSERT_EQUAL(q + running->uuid().str() + "\" is currently running", s.error().message);
    rkt::Result<Pod> p = Pod::open(*dirs_, preparing->uuid());
    s = rkt::pod::markForRemoval(*p);
    CPPUNIT_ASSERT_EQUAL(q + preparing->uuid().str() + "\" is currently being prepared",
                         s.error().message);

    Uuid aborted = podtest::makeAbortedPrepare(*dirs_);
    Uuid prepared = podtest::makePreparedPod(*dirs_);
    Uuid exited = podtest::makeExitedPod(*dirs_);
    for (const Uuid& u : {aborted, prepared, exited}) {
      rkt::Result<Pod> pod = Pod::open(*dirs_, u);
      CPPUNIT_ASSERT(rkt::pod::markForRemoval(*pod).ok());
      // Marked pods stay as they are when marked again.
      CPPUNIT_ASSERT(rkt::pod::markForRemoval(*pod).ok());
      rkt::Result<Pod> deleting = Pod::open(*dirs_, u);
      CPPUNIT_ASSERT(*deleting->tryLockExclusive());
      rkt::Result<Pod> again = Pod::open(*dirs_, u);
      s = rkt::pod::markForRemoval(*again);
      CPPUNIT_ASSERT_EQUAL(q + u.str() + "\" is currently being deleted", s.error().message);
      CPPUNIT_ASSERT(rkt::pod::deletePod(*deleting).ok());
    }
    CPPUNIT_ASSERT(!podtest::exists(dirs_->podPath(Phase::ExitedGarbage, exited)));
    CPPUNIT_ASSERT(!podtest::exists(dirs_->podPath(Phase::Garbage, prepared)));
  }

 private:
  std::unique_ptr<podtest::TempDataDir> tmp_;
  std::unique_ptr<rkt::pod::PodDirs> dirs_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodGcTest);
