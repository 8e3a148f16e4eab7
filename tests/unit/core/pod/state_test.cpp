#include "rkt/core/pod/state.hpp"

#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/pod_dirs.hpp"

using rkt::pod::Phase;
using rkt::pod::State;

class PodStateNamesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodStateNamesTest);
  CPPUNIT_TEST(namesStatesLikeRkt);
  CPPUNIT_TEST(mapsDirectoryAndLockToState);
  CPPUNIT_TEST(classifiesFinishedAndAfterRun);
  CPPUNIT_TEST(laysOutPodDirectories);
  CPPUNIT_TEST(createsPodDirectoriesWithRktMode);
  CPPUNIT_TEST_SUITE_END();

 public:
  void namesStatesLikeRkt() {
    CPPUNIT_ASSERT_EQUAL(std::string("embryo"), std::string(stateName(State::Embryo)));
    CPPUNIT_ASSERT_EQUAL(std::string("preparing"), std::string(stateName(State::Preparing)));
    CPPUNIT_ASSERT_EQUAL(std::string("aborted prepare"),
                         std::string(stateName(State::AbortedPrepare)));
    CPPUNIT_ASSERT_EQUAL(std::string("prepared"), std::string(stateName(State::Prepared)));
    CPPUNIT_ASSERT_EQUAL(std::string("running"), std::string(stateName(State::Running)));
    CPPUNIT_ASSERT_EQUAL(std::string("deleting"), std::string(stateName(State::Deleting)));
    CPPUNIT_ASSERT_EQUAL(std::string("exited deleting"),
                         std::string(stateName(State::ExitedDeleting)));
    CPPUNIT_ASSERT_EQUAL(std::string("exited"), std::string(stateName(State::Exited)));
    CPPUNIT_ASSERT_EQUAL(std::string("exited garbage"),
                         std::string(stateName(State::ExitedGarbage)));
    CPPUNIT_ASSERT_EQUAL(std::string("garbage"), std::string(stateName(State::Garbage)));
    CPPUNIT_ASSERT_EQUAL(std::string("gone"), std::string(stateName(State::Gone)));
  }

  void mapsDirectoryAndLockToState() {
    CPPUNIT_ASSERT_EQUAL(State::Embryo, stateFor(Phase::Embryo, true));
    CPPUNIT_ASSERT_EQUAL(State::Embryo, stateFor(Phase::Embryo, false));
    CPPUNIT_ASSERT_EQUAL(State::Preparing, stateFor(Phase::Prepare, true));
    CPPUNIT_ASSERT_EQUAL(State::AbortedPrepare, stateFor(Phase::Prepare, false));
    CPPUNIT_ASSERT_EQUAL(State::Prepared, stateFor(Phase::Prepared, true));
    CPPUNIT_ASSERT_EQUAL(State::Prepared, stateFor(Phase::Prepared, false));
    CPPUNIT_ASSERT_EQUAL(State::Running, stateFor(Phase::Run, true));
    CPPUNIT_ASSERT_EQUAL(State::Exited, stateFor(Phase::Run, false));
    CPPUNIT_ASSERT_EQUAL(State::ExitedDeleting, stateFor(Phase::ExitedGarbage, true));
    CPPUNIT_ASSERT_EQUAL(State::ExitedGarbage, stateFor(Phase::ExitedGarbage, false));
    CPPUNIT_ASSERT_EQUAL(State::Deleting, stateFor(Phase::Garbage, true));
    CPPUNIT_ASSERT_EQUAL(State::Garbage, stateFor(Phase::Garbage, false));
    CPPUNIT_ASSERT(!phaseHasLockState(Phase::Embryo));
    CPPUNIT_ASSERT(!phaseHasLockState(Phase::Prepared));
    CPPUNIT_ASSERT(phaseHasLockState(Phase::Run));
  }

  void classifiesFinishedAndAfterRun() {
    for (State s : {State::Exited, State::ExitedGarbage, State::ExitedDeleting, State::Garbage,
                    State::Deleting}) {
      CPPUNIT_ASSERT_MESSAGE(std::string(stateName(s)), isAfterRun(s));
      CPPUNIT_ASSERT_MESSAGE(std::string(stateName(s)), isFinished(s));
    }
    for (State s : {State::Embryo, State::Preparing, State::Prepared, State::Running}) {
      CPPUNIT_ASSERT_MESSAGE(std::string(stateName(s)), !isAfterRun(s));
      CPPUNIT_ASSERT_MESSAGE(std::string(stateName(s)), !isFinished(s));
    }
    CPPUNIT_ASSERT(isFinished(State::AbortedPrepare) && !isAfterRun(State::AbortedPrepare));
    CPPUNIT_ASSERT(isFinished(State::Gone));
  }

  void laysOutPodDirectories() {
    rkt::pod::PodDirs dirs("/var/lib/rkt/");
    rkt::pod::Uuid u = *rkt::pod::Uuid::parse("076292e6-54c4-4cc8-9fa7-679c5f7dcfd3");
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rkt/pods"), dirs.root());
    CPPUNIT_ASSERT_EQUAL(
        std::string("/var/lib/rkt/pods/exited-garbage/076292e6-54c4-4cc8-9fa7-679c5f7dcfd3"),
        dirs.podPath(Phase::ExitedGarbage, u));
    std::string names;
    for (Phase p : rkt::pod::allPhases())
      names += std::string(phaseDirName(p)) + " ";
    CPPUNIT_ASSERT_EQUAL(std::string("embryo prepare prepared run exited-garbage garbage "), names);
    names.clear();
    for (Phase p : rkt::pod::mostPhases())
      names += std::string(phaseDirName(p)) + " ";
    CPPUNIT_ASSERT_EQUAL(std::string("prepare prepared run exited-garbage "), names);
  }

  void createsPodDirectoriesWithRktMode() {
    podtest::TempDataDir tmp;
    rkt::pod::PodDirs dirs(tmp.path() + "/data");
    mode_t old = ::umask(022);
    rkt::Status s = dirs.ensure();
    ::umask(old);
    CPPUNIT_ASSERT(s.ok());
    for (const std::string& d : {dirs.dataDir(), dirs.root()}) {
      struct stat st {};
      CPPUNIT_ASSERT_EQUAL(0, ::stat(d.c_str(), &st));
      CPPUNIT_ASSERT_EQUAL(mode_t(0750), st.st_mode & 07777);
    }
    for (Phase p : rkt::pod::allPhases()) {
      struct stat st {};
      CPPUNIT_ASSERT_EQUAL(0, ::stat(dirs.dir(p).c_str(), &st));
      CPPUNIT_ASSERT(S_ISDIR(st.st_mode));
      CPPUNIT_ASSERT_EQUAL(mode_t(0750), st.st_mode & 07777);
    }
    // Existing directories are kept as they are.
    CPPUNIT_ASSERT_EQUAL(0, ::chmod(dirs.dir(Phase::Run).c_str(), 02750));
    CPPUNIT_ASSERT(dirs.ensure().ok());
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat(dirs.dir(Phase::Run).c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(mode_t(02750), st.st_mode & 07777);
    // A file where a directory belongs is an error.
    rkt::pod::PodDirs broken(tmp.path() + "/file");
    podtest::writeFile(tmp.path() + "/file", "");
    CPPUNIT_ASSERT(!broken.ensure().ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodStateNamesTest);
