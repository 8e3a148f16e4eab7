// deletePod with real mounts: needs root. Each test runs in a forked child inside its own
// private mount namespace, so nothing it mounts is ever visible to (or left on) the host.
#include <cppunit/extensions/HelperMacros.h>
#include <sched.h>
#include <sys/mount.h>

#include <iostream>

#include "pod/mounts.hpp"
#include "pod_test_support.hpp"
#include "rkt/core/pod/gc.hpp"

using rkt::pod::Phase;
using rkt::pod::Pod;
using rkt::pod::State;

namespace {

// Failures inside the namespace child are reported as a message through a pipe.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void check(bool ok, const std::string& what) {
  if (!ok)
    throw Failure(what);
}

void checkOk(const rkt::Status& s, const std::string& what) {
  if (!s)
    throw Failure(what + ": " + s.error().message);
}

void mountTmpfs(const std::string& target) {
  podtest::makeDirs(target);
  check(::mount("tmpfs", target.c_str(), "tmpfs", 0, "size=1m") == 0,
        "mount tmpfs on " + target + ": " + std::strerror(errno));
}

void bindMount(const std::string& source, const std::string& target, bool recursive = false) {
  check(::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | (recursive ? MS_REC : 0),
                nullptr) == 0,
        "bind " + source + " on " + target + ": " + std::strerror(errno));
}

bool isMountPoint(const std::string& path) {
  rkt::Result<std::vector<rkt::pod::mounts::MountInfo>> t = rkt::pod::mounts::readMountInfo();
  if (!t)
    throw Failure(t.error().message);
  for (const auto& m : *t) {
    if (m.mountPoint == path)
      return true;
  }
  return false;
}

size_t mountsAtOrBelow(const std::string& path) {
  rkt::Result<std::vector<rkt::pod::mounts::MountInfo>> t = rkt::pod::mounts::readMountInfo();
  if (!t)
    throw Failure(t.error().message);
  return rkt::pod::mounts::mountsBelow(*t, path).size();
}

// Runs `body` in a child in a new, recursively private mount namespace. Returns "" on success,
// "SKIP: why" when namespaces are unavailable, else the failure.
std::string inPrivateMountNamespace(const std::function<void()>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return "pipe failed";
  pid_t child = podtest::forkChild([&] {
    ::close(fds[0]);
    std::string result;
    if (::unshare(CLONE_NEWNS) != 0) {
      result = std::string("SKIP: unshare(CLONE_NEWNS): ") + std::strerror(errno);
    } else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      result = std::string("SKIP: mount --make-rprivate /: ") + std::strerror(errno);
    } else {
      try {
        body();
      } catch (const std::exception& e) {
        result = e.what();
        if (result.empty())
          result = "failed";
      }
    }
    (void)!::write(fds[1], result.data(), result.size());
    return result.empty() ? 0 : 1;
  });
  ::close(fds[1]);
  std::string message;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
    message.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int code = podtest::waitChild(child);
  if (code != 0 && message.empty())
    message = "child exited with " + std::to_string(code);
  return message;
}

bool skipUnlessRoot(const char* test) {
  if (::geteuid() == 0)
    return false;
  std::cerr << "\nSKIPPED PodDeleteMountsTest::" << test
            << ": needs root (mount namespaces and mounts)\n";
  return true;
}

void runOrSkip(const char* test, const std::function<void()>& body) {
  std::string result = inPrivateMountNamespace(body);
  if (result.rfind("SKIP: ", 0) == 0) {
    std::cerr << "\nSKIPPED PodDeleteMountsTest::" << test << ": " << result.substr(6) << "\n";
    return;
  }
  CPPUNIT_ASSERT_MESSAGE(result, result.empty());
}

}  // namespace

class PodDeleteMountsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodDeleteMountsTest);
  CPPUNIT_TEST(unmountsEverythingBelowThePodAndNothingElse);
  CPPUNIT_TEST(deletesPodKilledWithSigkill);
  CPPUNIT_TEST(copesWithMountsAlreadyGone);
  CPPUNIT_TEST_SUITE_END();

 public:
  void unmountsEverythingBelowThePodAndNothingElse() {
    if (skipUnlessRoot("unmountsEverythingBelowThePodAndNothingElse"))
      return;
    podtest::TempDataDir tmp;
    runOrSkip("unmountsEverythingBelowThePodAndNothingElse", [&] {
      const std::string t = tmp.path();
      rkt::pod::PodDirs dirs = tmp.dirs();
      Uuid uuid;
      std::string pod;
      int busyFd = -1;
      {
        rkt::Result<Pod> p = Pod::create(dirs);
        checkOk(p ? p->toRun() : rkt::Status(p.error()), "run pod");
        uuid = p->uuid();
        pod = p->path();
        // What stays outside the pod: an image dir bound into it, a shared mount whose peer is
        // bound into it (with a submount that propagated there), a sibling with a name that
        // starts like the pod's, and a mount reached only through a symlink.
        podtest::makeDirs(t + "/image/bin");
        podtest::writeFile(t + "/image/bin/app", "binary");
        mountTmpfs(t + "/outside");
        check(::mount(nullptr, (t + "/outside").c_str(), nullptr, MS_SHARED, nullptr) == 0,
              "make-shared");
        podtest::writeFile(t + "/outside/keep", "keep");
        const std::string sibling = dirs.dir(Phase::ExitedGarbage) + "/" + uuid.str() + "-sibling";
        mountTmpfs(sibling);

        const std::string s1 = pod + "/stage1/rootfs";
        const std::string app = s1 + "/opt/stage2/app/rootfs";
        mountTmpfs(s1);
        podtest::makeDirs(app);
        bindMount(t + "/image", app);
        mountTmpfs(app + "/tmp");
        mountTmpfs(app + "/tmp");  // stacked on the same point
        podtest::makeDirs(app + "/dev");
        bindMount("/dev", app + "/dev", true);  // like fly: /dev with its submounts
        podtest::makeDirs(app + "/etc");
        podtest::writeFile(t + "/resolv.conf", "nameserver 192.0.2.1\n");
        podtest::writeFile(app + "/etc/resolv.conf", "");
        bindMount(t + "/resolv.conf", app + "/etc/resolv.conf");  // a file mount
        podtest::makeDirs(s1 + "/host");
        bindMount(t + "/outside", s1 + "/host");  // peer of the shared outside mount
        mountTmpfs(t + "/outside/sub");           // propagates to s1/host/sub
        check(isMountPoint(s1 + "/host/sub"), "submount did not propagate into the pod");
        check(::symlink((t + "/outside").c_str(), (s1 + "/link-out").c_str()) == 0, "symlink");
        // A busy mount: unmountable only lazily.
        mountTmpfs(pod + "/busy");
        podtest::writeFile(pod + "/busy/open", "x");
        busyFd = ::open((pod + "/busy/open").c_str(), O_RDONLY | O_CLOEXEC);
        check(busyFd >= 0, "open busy file");
        check(mountsAtOrBelow(pod) >= 8, "expected mounts below the pod");
      }  // the pod's process "exits": its lock goes

      check(podtest::stateOf(dirs, uuid) == State::Exited, "pod should be exited");
      rkt::Result<rkt::pod::MarkReport> marked = rkt::pod::markExitedPods(dirs);
      check(marked && marked->moved.size() == 1, "mark exited");
      rkt::Result<Pod> p = Pod::open(dirs, uuid);
      check(p && p->state() == State::ExitedGarbage, "pod should be exited garbage");
      const std::string marked_path = p->path();
      checkOk(rkt::pod::deletePod(*p), "deletePod");
      ::close(busyFd);

      check(p->state() == State::Gone, "pod should be gone");
      check(!podtest::exists(marked_path), "pod directory should be removed");
      check(mountsAtOrBelow(marked_path) == 0, "mounts left below the pod");
      check(mountsAtOrBelow(pod) == 0, "mounts left below the pod's old path");
      // Nothing outside was touched.
      check(isMountPoint(t + "/outside"), "outside mount was unmounted");
      check(isMountPoint(t + "/outside/sub"), "the unmount propagated to the shared peer outside");
      check(podtest::exists(t + "/outside/keep"), "file in outside mount was removed");
      check(isMountPoint(dirs.dir(Phase::ExitedGarbage) + "/" + uuid.str() + "-sibling"),
            "sibling mount was unmounted");
      check(podtest::exists(t + "/image/bin/app"), "bind-mount source was emptied");
      check(podtest::exists(t + "/resolv.conf"), "file bind-mount source was removed");
      check(isMountPoint("/dev"), "/dev was unmounted");
    });
  }

  void deletesPodKilledWithSigkill() {
    if (skipUnlessRoot("deletesPodKilledWithSigkill"))
      return;
    podtest::TempDataDir tmp;
    runOrSkip("deletesPodKilledWithSigkill", [&] {
      rkt::pod::PodDirs dirs = tmp.dirs();
      int fds[2];
      check(::pipe(fds) == 0, "pipe");
      // A stage1 that mounted its rootfs and was then SIGKILLed: no cleanup at all.
      pid_t stage1 = ::fork();
      if (stage1 == 0) {
        ::close(fds[0]);
        rkt::Result<Pod> p = Pod::create(dirs);
        if (!p || !p->toRun())
          ::_exit(1);
        mountTmpfs(p->path() + "/stage1/rootfs");
        mountTmpfs(p->path() + "/stage1/rootfs/proc");
        std::string uuid = p->uuid().str();
        (void)!::write(fds[1], uuid.data(), uuid.size());
        ::pause();
        ::_exit(0);
      }
      ::close(fds[1]);
      char buf[36];
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      ::close(fds[0]);
      check(n == 36, "no uuid from the stage1");
      rkt::pod::Uuid uuid = *rkt::pod::Uuid::parse(std::string(buf, 36));
      check(podtest::stateOf(dirs, uuid) == State::Running, "pod should be running");
      podtest::killAndReap(stage1);

      rkt::Result<Pod> p = Pod::open(dirs, uuid);
      check(p && p->state() == State::Exited, "pod should be exited after SIGKILL");
      const std::string runPath = p->path();
      check(mountsAtOrBelow(runPath) == 2, "the killed stage1's mounts should still be there");
      checkOk(rkt::pod::markForRemoval(*p), "markForRemoval");
      check(p->phase() == Phase::ExitedGarbage, "pod should be in exited-garbage");
      const std::string path = p->path();
      checkOk(rkt::pod::deletePod(*p), "deletePod");
      check(mountsAtOrBelow(path) == 0, "mounts left below the pod");
      check(!podtest::exists(path), "pod directory should be removed");
    });
  }

  void copesWithMountsAlreadyGone() {
    if (skipUnlessRoot("copesWithMountsAlreadyGone"))
      return;
    podtest::TempDataDir tmp;
    runOrSkip("copesWithMountsAlreadyGone", [&] {
      rkt::pod::PodDirs dirs = tmp.dirs();
      rkt::pod::Uuid uuid = podtest::makeAbortedPrepare(dirs);
      rkt::Result<Pod> p = Pod::open(dirs, uuid);
      checkOk(p->toGarbage(), "toGarbage");
      const std::string s1 = p->path() + "/stage1/rootfs";
      mountTmpfs(s1);
      mountTmpfs(s1 + "/a");
      // Someone (the stage1's own gc, a reboot) already unmounted part of it.
      check(::umount2((s1 + "/a").c_str(), 0) == 0, "umount a");
      checkOk(rkt::pod::unmountAllUnder(p->path()), "unmountAllUnder");
      checkOk(rkt::pod::unmountAllUnder(p->path()), "unmountAllUnder again");
      check(mountsAtOrBelow(p->path()) == 0, "mounts left");
      checkOk(rkt::pod::unmountAllUnder(tmp.path() + "/does/not/exist"), "missing dir");
      const std::string path = p->path();
      checkOk(rkt::pod::deletePod(*p), "deletePod");
      check(!podtest::exists(path), "pod directory should be removed");
    });
  }

 private:
  using Uuid = rkt::pod::Uuid;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodDeleteMountsTest);
