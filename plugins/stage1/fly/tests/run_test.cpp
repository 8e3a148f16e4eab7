// `run`: exit status, exec and arguments, environment, user/group, working directory,
// standard mounts, the missing-program diagnostic, pid/pgid files, the pod lock.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "fly_harness.hpp"
#include "fly_test_util.hpp"

using namespace flytest;

class FlyRunTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlyRunTest);
  CPPUNIT_TEST(describeReportsChrootSingleApp);
  CPPUNIT_TEST(exitStatusIsTheApps);
  CPPUNIT_TEST(execAndArguments);
  CPPUNIT_TEST(imageAppUsedWhenPodHasNone);
  CPPUNIT_TEST(programFoundInPathAndWorkingDirectory);
  CPPUNIT_TEST(environmentDefaultsAndPrecedence);
  CPPUNIT_TEST(userAndGroupByName);
  CPPUNIT_TEST(userAndGroupByNumberAndPath);
  CPPUNIT_TEST(invalidUserAndGroup);
  CPPUNIT_TEST(workingDirectory);
  CPPUNIT_TEST(missingProgramDiagnostic);
  CPPUNIT_TEST(pidAndPgidFiles);
  CPPUNIT_TEST(onlyOneApp);
  CPPUNIT_TEST(standardMounts);
  CPPUNIT_TEST(appHoldsThePodLock);
  CPPUNIT_TEST(badRequests);
  CPPUNIT_TEST(gcSucceeds);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tearDown() override { reapEverything(); }

  void describeReportsChrootSingleApp() {
    Outcome o = fixture().client->describe();
    CPPUNIT_ASSERT_EQUAL(RKT_OK, o.status);
    auto obj = Poco::JSON::Parser().parse(o.result).extract<Poco::JSON::Object::Ptr>();
    CPPUNIT_ASSERT_EQUAL(1, obj->getValue<int>("max_apps"));
    CPPUNIT_ASSERT_EQUAL(std::string("chroot"), obj->getValue<std::string>("isolation"));
    CPPUNIT_ASSERT_EQUAL(false, obj->getValue<bool>("networking"));
    CPPUNIT_ASSERT_EQUAL(false, obj->getValue<bool>("mutable"));
    CPPUNIT_ASSERT_EQUAL(true, obj->getValue<bool>("exit_status_preserved"));
  }

  void exitStatusIsTheApps() {
    for (int code : {0, 1, 42}) {
      TestPod pod(shell("exit " + std::to_string(code)));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(code, f);
    }
    // Killed by a signal: the pod process dies of it too (it is the app).
    TestPod pod(shell("kill -9 $$"));
    Finished f = runPod(pod);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(f), 9, f.signal);
  }

  void execAndArguments() {
    PodOptions o;
    o.appJson = appJson({"/bin/echo", "hello", "fly  world", "$HOME"});
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("hello fly  world $HOME\n"), f.out);
  }

  void imageAppUsedWhenPodHasNone() {
    PodOptions o;  // no app in the pod manifest: the image's (patched) app runs
    o.patchImageManifest = [](Poco::JSON::Object& image) {
      auto app = image.getObject("app");
      Poco::JSON::Array::Ptr exec = new Poco::JSON::Array;
      exec->add("/bin/sh");
      exec->add("-c");
      exec->add("echo from-image $IMAGE_VAR");
      app->set("exec", exec);
      Poco::JSON::Object::Ptr var = new Poco::JSON::Object;
      var->set("name", "IMAGE_VAR");
      var->set("value", "set-by-image");
      app->getArray("environment")->add(var);
    };
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("from-image set-by-image\n"), f.out);
  }

  void programFoundInPathAndWorkingDirectory() {
    {
      PodOptions o;  // a bare name is looked up in the app's PATH inside the rootfs
      o.appJson = appJson({"echo", "via", "path"});
      TestPod pod(o);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("via path\n"), f.out);
    }
    {
      PodOptions o;  // a relative path is below the working directory
      o.appJson = appJson({"./echo", "relative"}, "0", "0", ",\"workingDirectory\":\"/bin\"");
      TestPod pod(o);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("relative\n"), f.out);
    }
    {
      // PATH from the app's environment, searched inside the rootfs only: a program that
      // exists only on the host is not found.
      PodOptions o;
      o.appJson = appJson({"mytool"}, "0", "0",
                          ",\"environment\":[{\"name\":\"PATH\",\"value\":\"/opt/tools:/bin\"}]");
      TestPod pod(o);
      ::mkdir((pod.appRootfs() + "/opt").c_str(), 0755);
      ::mkdir((pod.appRootfs() + "/opt/tools").c_str(), 0755);
      writeFile(pod.appRootfs() + "/opt/tools/mytool", "#!/bin/sh\necho mytool ran\n", 0755);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("mytool ran\n"), f.out);
    }
  }

  void environmentDefaultsAndPrecedence() {
    PodOptions o;
    o.appJson = appJson({"/bin/env"}, "1000", "1000",
                        ",\"environment\":[{\"name\":\"FOO\",\"value\":\"bar baz\"},"
                        "{\"name\":\"PATH\",\"value\":\"/bin:/custom\"},"
                        "{\"name\":\"HOME\",\"value\":\"/home/user\"},"
                        "{\"name\":\"AC_APP_NAME\",\"value\":\"overridden\"}]");
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    std::vector<std::string> env = lines(f.out);
    std::sort(env.begin(), env.end());
    std::vector<std::string> expected = {"AC_APP_NAME=app", "FOO=bar baz",       "HOME=/home/user",
                                         "LOGNAME=root",    "PATH=/bin:/custom", "SHELL=/bin/sh",
                                         "USER=root"};
    CPPUNIT_ASSERT_EQUAL_MESSAGE(f.out, expected.size(), env.size());
    CPPUNIT_ASSERT_MESSAGE(f.out, env == expected);
    // The env file holds the same environment (enter reads it back).
    std::vector<std::string> file = lines(readFile(pod.stage1Rootfs() + "/rkt/env/app"));
    std::sort(file.begin(), file.end());
    CPPUNIT_ASSERT_MESSAGE(readFile(pod.stage1Rootfs() + "/rkt/env/app"), file == expected);
  }

  void userAndGroupByName() {
    TestPod pod(
        shell("id -u; id -g; id -G; whoami", "user", "users", ",\"supplementaryGIDs\":[10,1001]"));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("1000\n100\n100 10 1001\nuser\n"), f.out);
  }

  void userAndGroupByNumberAndPath() {
    {
      TestPod pod(shell("id -u; id -g; id -G", "1001", "10"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      // No supplementary groups asked for: none inherited from the caller (root) either.
      CPPUNIT_ASSERT_EQUAL(std::string("1001\n10\n10\n"), f.out);
    }
    {
      // Absolute paths: the owner of that file inside the rootfs (1000:1000 in the fixture).
      TestPod pod(shell("id -u; id -g", "/home/user/owned-by-user", "/home/user/owned-by-user"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("1000\n1000\n"), f.out);
    }
    {
      TestPod pod(shell("id -u; id -g", "root", "root"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("0\n0\n"), f.out);
    }
  }

  void invalidUserAndGroup() {
    {
      TestPod pod(shell("echo should-not-run", "nosuchuser", "0"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("invalid user \"nosuchuser\"", f.err);
      CPPUNIT_ASSERT_EQUAL(std::string(), f.out);
    }
    {
      TestPod pod(shell("echo should-not-run", "0", "nosuchgroup"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("invalid group \"nosuchgroup\"", f.err);
    }
    {
      TestPod pod(shell("echo should-not-run", "/no/such/file", "0"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("invalid user \"/no/such/file\"", f.err);
    }
  }

  void workingDirectory() {
    {
      TestPod pod(shell("pwd", "0", "0", ",\"workingDirectory\":\"/home/user\""));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("/home/user\n"), f.out);
    }
    {
      TestPod pod(shell("pwd"));  // default: /
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("/\n"), f.out);
    }
    {
      TestPod pod(shell("pwd", "0", "0", ",\"workingDirectory\":\"/no/such/dir\""));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("working directory `/no/such/dir`", f.err);
    }
  }

  void missingProgramDiagnostic() {
    {
      PodOptions o;
      o.appJson = appJson({"/foo-not-there", "arg with spaces"});
      TestPod pod(o);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("Error: Unable to open \"/foo-not-there\": No such file or directory",
                          f.err);
    }
    {
      // A script whose interpreter is missing in the image.
      PodOptions o;
      o.appJson = appJson({"/script"});
      TestPod pod(o);
      writeFile(pod.appRootfs() + "/script", "#!/usr/bin/missing-interpreter\n", 0755);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS(
          "Error: Unable to open \"/usr/bin/missing-interpreter\": No such file or directory",
          f.err);
    }
    {
      PodOptions o;
      o.appJson = appJson({"not-in-path"});
      TestPod pod(o);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("unable to find \"not-in-path\"", f.err);
    }
    {
      // Not executable by the app's user: execve fails after the point of no return.
      PodOptions o;
      o.appJson = appJson({"/rootonly"}, "1000", "1000");
      TestPod pod(o);
      writeFile(pod.appRootfs() + "/rootonly", "#!/bin/sh\necho ran\n", 0700);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(254, f);
      FLY_ASSERT_CONTAINS("Error: Unable to execute \"/rootonly\": Permission denied", f.err);
    }
  }

  void pidAndPgidFiles() {
    TestPod pod(shell("echo $$"));
    RunningPod running(pod, {});
    Finished f = running.wait();
    FLY_ASSERT_EXIT(0, f);
    const std::string pid = std::to_string(running.pid()) + "\n";
    CPPUNIT_ASSERT_EQUAL(pid, f.out);  // the app is the pod process
    CPPUNIT_ASSERT_EQUAL(pid, readFile(pod.dir() + "/pid"));
    // The harness made the pod process a group leader, as a shell job would be.
    CPPUNIT_ASSERT_EQUAL(pid, readFile(pod.dir() + "/pgid"));
  }

  void onlyOneApp() {
    PodOptions o = shell("echo should-not-run");
    o.moreApps.push_back(
        "{\"name\":\"second\",\"image\":{\"name\":\"example.com/busybox\",\"id\":" +
        js(fixture().imageId) + "}}");
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(254, f);
    FLY_ASSERT_CONTAINS("fly only supports 1 application per Pod for now", f.err);
  }

  void standardMounts() {
    TestPod pod(
        shell("test -c /dev/null && echo dev; test -r /proc/self/status && echo proc;"
              "test -d /sys/kernel && echo sys; stat -f -c %T /tmp; stat -c %a /tmp;"
              "readlink /etc/mtab; cat /etc/hosts; test -e /etc/resolv.conf || echo no-resolv"));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("dev\nproc\nsys\ntmpfs\n1777\n../proc/self/mounts\n"
                                     "127.0.0.1 localhost localdomain\nno-resolv\n"),
                         f.out);
  }

  void appHoldsThePodLock() {
    TestPod pod(shell("echo ready > /tmp/ready; exec sleep 1000"));
    RunningPod running(pod, {});
    CPPUNIT_ASSERT(running.waitForAppFile("/tmp/ready"));
    int fd = ::open(pod.dir().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CPPUNIT_ASSERT(fd >= 0);
    // Running: the app (the pod process after exec) holds the exclusive lock.
    CPPUNIT_ASSERT_EQUAL(-1, ::flock(fd, LOCK_SH | LOCK_NB));
    CPPUNIT_ASSERT_EQUAL(EWOULDBLOCK, errno);
    ::kill(running.pid(), SIGKILL);
    running.wait();
    // Exited: the lock died with the app.
    CPPUNIT_ASSERT_EQUAL(0, ::flock(fd, LOCK_SH | LOCK_NB));
    ::close(fd);
  }

  void badRequests() {
    Outcome o = fixture().client->run("{\"uuid\":\"x\",\"lock_fd\":3}");
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, o.status);
    FLY_ASSERT_CONTAINS("invalid run request: field \"pod_dir\": missing", o.message);
    o = fixture().client->run("not json");
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, o.status);
    TestPod pod(shell("true"));
    o = fixture().client->run("{\"pod_dir\":" + js(pod.dir()) + ",\"lock_fd\":0}");
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, o.status);
    FLY_ASSERT_CONTAINS("does not refer to the pod directory", o.message);
    o = fixture().client->run("{\"pod_dir\":" + js(pod.dir()) +
                              ",\"lock_fd\":0,\"dns_conf_mode\":{\"resolv\":\"bogus\"}}");
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, o.status);
    FLY_ASSERT_CONTAINS("unknown resolv mode `bogus`", o.message);
  }

  void gcSucceeds() {
    TestPod pod(shell("true"));
    Outcome o = fixture().client->gc("{\"pod_dir\":" + js(pod.dir()) +
                                     ",\"uuid\":" + js(pod.uuid()) + ",\"debug\":false}");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(o.message, RKT_OK, o.status);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlyRunTest);
