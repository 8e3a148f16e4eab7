// The teardown holder keeps the pod's mount namespace after `rkt run` returns, but nothing else:
// once detach() has returned, no descriptor of the caller lives on in it. A copy of the pod's
// lock would keep the pod "running" for `rkt status` and the engine's tests until the holder was
// first scheduled (seen as a rare failure of EngineRunTest under load).
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "core/pod/pod_test_support.hpp"
#include "rkt/core/stage0/teardown_holder.hpp"

class TeardownHolderTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(TeardownHolderTest);
  CPPUNIT_TEST(holderKeepsNoLockOfTheCaller);
  CPPUNIT_TEST_SUITE_END();

 public:
  void holderKeepsNoLockOfTheCaller() {
    char path[] = "/tmp/rkt-holder-lock-XXXXXX";
    const int made = ::mkstemp(path);
    CPPUNIT_ASSERT(made >= 0);
    ::close(made);
    // In a child: the holders live until their caller exits, and the caller forks.
    const pid_t pid = podtest::forkChild([&]() {
      for (int round = 0; round < 50; ++round) {
        const int lock = ::open(path, O_RDONLY | O_CLOEXEC);
        if (lock < 0 || ::flock(lock, LOCK_EX) != 0)
          return 2;
        rkt::stage0::MountNamespaceHolder holder;
        holder.detach();
        ::close(lock);
        // The lock is free the moment the caller closed its descriptor.
        const int again = ::open(path, O_RDONLY | O_CLOEXEC);
        const bool free = again >= 0 && ::flock(again, LOCK_EX | LOCK_NB) == 0;
        ::close(again);
        if (!free)
          return 1;
      }
      return 0;
    });
    const int status = podtest::waitChild(pid);
    ::unlink(path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("a holder kept the caller's lock after detach()", 0, status);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TeardownHolderTest);
