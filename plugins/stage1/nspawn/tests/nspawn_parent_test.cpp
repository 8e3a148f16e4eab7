// rkt run as systemd-nspawn's parent (nspawn_parent.hpp), with /bin/sh standing in for nspawn:
// the child's exit status is returned, the cleanup runs once the child is gone, a SIGTERM sent
// to the parent reaches the child, and a child that cannot exec exits 254.
#include <cppunit/extensions/HelperMacros.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "nspawn_parent.hpp"

using rkt::nspawn::runAsParent;

namespace {

[[noreturn]] void execShell(const std::string& script) {
  ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
  throw std::runtime_error("cannot execute /bin/sh");
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

class NspawnParentTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NspawnParentTest);
  CPPUNIT_TEST(exitStatusAndCleanup);
  CPPUNIT_TEST(sigtermReachesTheChild);
  CPPUNIT_TEST(childThatCannotExec);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    std::string tmpl = "/tmp/rkt-nspawn-parent-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    dir_ = tmpl;
  }
  void tearDown() override {
    for (const char* f : {"/done", "/ready"}) {
      ::unlink((dir_ + f).c_str());
    }
    ::rmdir(dir_.c_str());
  }

  void exitStatusAndCleanup() {
    bool childGone = false;
    const int status = runAsParent([&] { execShell("touch " + dir_ + "/done; exit 3"); },
                                   [&] { childGone = exists(dir_ + "/done"); });
    CPPUNIT_ASSERT_EQUAL(3, status);
    CPPUNIT_ASSERT(childGone);
  }

  // A SIGTERM for the parent (any thread: the test blocks it everywhere, as rkt's only thread
  // would have it blocked while waiting) is passed on.
  void sigtermReachesTheChild() {
    sigset_t term;
    ::sigemptyset(&term);
    ::sigaddset(&term, SIGTERM);
    sigset_t saved;
    ::pthread_sigmask(SIG_BLOCK, &term, &saved);
    const std::string ready = dir_ + "/ready";
    std::thread sender([&] {
      for (int i = 0; i < 6000 && !exists(ready); ++i) {
        ::usleep(10000);
      }
      ::kill(::getpid(), SIGTERM);
    });
    const int status = runAsParent(
        [&] { execShell("trap 'exit 7' TERM; touch " + ready + "; while :; do sleep 0.01; done"); },
        [] {});
    sender.join();
    ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    CPPUNIT_ASSERT_EQUAL(7, status);
  }

  void childThatCannotExec() {
    const int status =
        runAsParent([] { throw std::runtime_error("no systemd-nspawn here"); }, [] {});
    CPPUNIT_ASSERT_EQUAL(254, status);
  }

 private:
  std::string dir_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(NspawnParentTest);
