// A running pod: `stop` (TERM, KILL with force, the process group too) and `enter` (same or
// another mount namespace, the app's environment and user, exit status, errors).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "fly_harness.hpp"
#include "fly_test_util.hpp"

using namespace flytest;

namespace {

std::string stopRequest(const TestPod& pod, bool force) {
  return "{\"pod_dir\":" + js(pod.dir()) + ",\"uuid\":" + js(pod.uuid()) +
         ",\"force\":" + (force ? "true" : "false") + "}";
}

bool gone(pid_t pid, int seconds) {
  for (int i = 0; i < seconds * 50; ++i) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) {
      return true;
    }
    // Orphans are reparented to the test (subreaper): reap them so they can vanish.
    int status;
    ::waitpid(pid, &status, WNOHANG);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

class FlyLifecycleTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlyLifecycleTest);
  CPPUNIT_TEST(stopSendsTermToTheAppAndItsGroup);
  CPPUNIT_TEST(stopForceKills);
  CPPUNIT_TEST(stopNeverSignalsTheCallersGroup);
  CPPUNIT_TEST(stopWithoutPidFileFails);
  CPPUNIT_TEST(enterSameMountNamespace);
  CPPUNIT_TEST(enterJoinsThePodsMountNamespace);
  CPPUNIT_TEST(enterErrors);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tearDown() override { reapEverything(); }

  void stopSendsTermToTheAppAndItsGroup() {
    TestPod pod(shell("sleep 1000 & echo $! > /tmp/child; echo ready > /tmp/ready; wait"));
    RunningPod running(pod, {});
    CPPUNIT_ASSERT(running.waitForAppFile("/tmp/ready"));
    pid_t child = std::stoi(readFile("/proc/" + std::to_string(running.pid()) + "/root/tmp/child"));
    Outcome o = fixture().client->stop(stopRequest(pod, false));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(o.message, RKT_OK, o.status);
    Finished f = running.wait();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(f), SIGTERM, f.signal);
    CPPUNIT_ASSERT_MESSAGE("the app's background child survived", gone(child, 10));
  }

  void stopForceKills() {
    TestPod pod(shell("trap '' TERM; echo ready > /tmp/ready; while :; do sleep 1; done"));
    RunningPod running(pod, {});
    CPPUNIT_ASSERT(running.waitForAppFile("/tmp/ready"));
    Outcome o = fixture().client->stop(stopRequest(pod, false));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(o.message, RKT_OK, o.status);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CPPUNIT_ASSERT_MESSAGE("an app ignoring SIGTERM must survive a plain stop", running.running());
    o = fixture().client->stop(stopRequest(pod, true));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(o.message, RKT_OK, o.status);
    Finished f = running.wait();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(f), SIGKILL, f.signal);
  }

  void stopNeverSignalsTheCallersGroup() {
    // The pod process stays in the test's process group, so `pgid` is ours: only the app's
    // pid may be signalled (this test process surviving is the other half of the check).
    TestPod pod(shell("echo ready > /tmp/ready; exec sleep 1000"));
    RunOptions r;
    r.groupLeader = false;
    RunningPod running(pod, r);
    CPPUNIT_ASSERT(running.waitForAppFile("/tmp/ready"));
    CPPUNIT_ASSERT_EQUAL(std::to_string(::getpgrp()) + "\n", readFile(pod.dir() + "/pgid"));
    Outcome o = fixture().client->stop(stopRequest(pod, false));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(o.message, RKT_OK, o.status);
    Finished f = running.wait();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(f), SIGTERM, f.signal);
  }

  void stopWithoutPidFileFails() {
    TestPod pod(shell("true"));
    Outcome o = fixture().client->stop(stopRequest(pod, false));
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, o.status);
    FLY_ASSERT_CONTAINS("pid", o.message);
  }

  void enterSameMountNamespace() { enterRunningPod(false); }

  void enterJoinsThePodsMountNamespace() { enterRunningPod(true); }

  void enterErrors() {
    TestPod pod(shell("echo ready > /tmp/ready; exec sleep 1000"));
    RunningPod running(pod, {});
    CPPUNIT_ASSERT(running.waitForAppFile("/tmp/ready"));
    Outcome o;
    Finished f = enterPod(pod, running.pid(), {"/no-such-command"}, &o);
    FLY_ASSERT_EXIT(254, f);
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, o.status);
    FLY_ASSERT_CONTAINS("Error: Unable to open \"/no-such-command\": No such file or directory",
                        o.message);
    // A pod process that is gone.
    Finished g = enterPod(pod, 0x3ffffff0, {"/bin/true"}, &o);
    FLY_ASSERT_EXIT(254, g);
    FLY_ASSERT_CONTAINS("cannot enter pod", o.message);
  }

 private:
  void enterRunningPod(bool ownNamespace) {
    // The marker lives on the pod's /tmp tmpfs: only visible inside the pod's mounts.
    TestPod pod(shell("echo inside > /tmp/marker; echo ready > /tmp/ready; exec sleep 1000", "user",
                      "users",
                      ",\"supplementaryGIDs\":[10],\"environment\":[{\"name\":\"FOO\","
                      "\"value\":\"from-app\"}]"));
    RunOptions r;
    r.ownMountNamespace = ownNamespace;
    RunningPod running(pod, r);
    CPPUNIT_ASSERT(running.waitForAppFile("/tmp/ready"));

    Finished f = enterPod(pod, running.pid(),
                          {"/bin/sh", "-c",
                           "cat /tmp/marker; pwd; id -u; id -G; echo $FOO $AC_APP_NAME $TERM; "
                           "echo $PATH"});
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("inside\n/\n1000\n100 10\nfrom-app app xterm-fly-test\n"
                                     "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                                     "\n"),
                         f.out);
    // The command's exit status comes back; a bare name is found in the app's PATH.
    Finished g = enterPod(pod, running.pid(), {"sh", "-c", "exit 7"});
    FLY_ASSERT_EXIT(7, g);
    CPPUNIT_ASSERT(running.running());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlyLifecycleTest);
