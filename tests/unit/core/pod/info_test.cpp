// What list/status read from a pod directory.
#include <cppunit/extensions/HelperMacros.h>

#include "pod/json_readers.hpp"
#include "pod_test_support.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/support/posix/file_io.hpp"

#include <sstream>
#include <string>

using rkt::pod::Phase;
using rkt::pod::Pod;
using rkt::pod::State;

namespace {

const char kManifest[] = R"({
  "acVersion": "1.30.0", "acKind": "PodManifest",
  "apps": [
    {"name": "web", "image": {"name": "example.com/web", "id": "sha512-aaaa",
                              "labels": [{"name": "os", "value": "linux"},
                                         {"name": "arch", "value": "amd64"},
                                         {"name": "version", "value": "1.2"}]},
     "app": {"exec": ["/bin/web"], "user": "0", "group": "0"}},
    {"name": "sidecar", "image": {"name": "example.com/side", "id": "sha512-bbbb"}}
  ],
  "volumes": null, "isolators": null, "annotations": [], "ports": []
})";

const char kNetInfo[] = R"([
  {"netName": "default", "netConf": "/etc/rkt/net.d/99-default.conf",
   "pluginPath": "/usr/lib/rkt/plugins/net/ptp", "ifName": "eth0", "ip": "172.16.28.5",
   "args": "", "mask": "//8AAA=="}
])";

}  // namespace

class PodInfoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodInfoTest);
  CPPUNIT_TEST(createdTimeFromPodCreated);
  CPPUNIT_TEST(createdTimeFallsBackToManifest);
  CPPUNIT_TEST(noCreatedTimeWhilePreparing);
  CPPUNIT_TEST(startedTimeFromPidOrPpid);
  CPPUNIT_TEST(readsPidThenPpid);
  CPPUNIT_TEST(findsPid1AsOnlyChildOfPpid);
  CPPUNIT_TEST(readsAppsFromManifest);
  CPPUNIT_TEST(rejectsBrokenManifests);
  CPPUNIT_TEST(imageNameFromAppsinfo);
  CPPUNIT_TEST(exitCodesFromStage1Rootfs);
  CPPUNIT_TEST(exitCodesFromOverlayUpper);
  CPPUNIT_TEST(readsNetworks);
  CPPUNIT_TEST(supervisorReadiness);
  CPPUNIT_TEST(collectsEverythingForStatus);
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

  void createdTimeFromPodCreated() {
    rkt::Result<Pod> pod = preparedPod();
    podtest::setMtime(pod->path() + "/pod-created", 1500000000, 123456789);
    podtest::setMtime(pod->path() + "/pod", 1600000000);
    rkt::Result<std::optional<rkt::pod::TimePoint>> t = rkt::pod::creationTime(*pod);
    CPPUNIT_ASSERT(t.ok() && t->has_value());
    CPPUNIT_ASSERT(**t == podtest::at(1500000000, 123456789));
  }

  void createdTimeFallsBackToManifest() {
    rkt::Result<Pod> pod = preparedPod();
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((pod->path() + "/pod-created").c_str()));
    podtest::setMtime(pod->path() + "/pod", 1600000000);
    rkt::Result<std::optional<rkt::pod::TimePoint>> t = rkt::pod::creationTime(*pod);
    CPPUNIT_ASSERT(t.ok() && t->has_value());
    CPPUNIT_ASSERT(**t == podtest::at(1600000000));
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((pod->path() + "/pod").c_str()));
    t = rkt::pod::creationTime(*pod);
    CPPUNIT_ASSERT(!t.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, t.error().sysErrno);
  }

  void noCreatedTimeWhilePreparing() {
    rkt::Result<Pod> pod = Pod::create(*dirs_);
    podtest::writeFile(pod->path() + "/pod-created", "");
    rkt::Result<std::optional<rkt::pod::TimePoint>> t = rkt::pod::creationTime(*pod);
    CPPUNIT_ASSERT(t.ok());
    CPPUNIT_ASSERT(!t->has_value());
    rkt::Result<std::optional<rkt::pod::TimePoint>> s = rkt::pod::startTime(*pod);
    CPPUNIT_ASSERT(s.ok() && !s->has_value());
  }

  void startedTimeFromPidOrPpid() {
    rkt::Result<Pod> pod = exitedPod();
    // Started but neither file written (a stage1 that failed early): no time, no error.
    rkt::Result<std::optional<rkt::pod::TimePoint>> t = rkt::pod::startTime(*pod);
    CPPUNIT_ASSERT(t.ok() && !t->has_value());
    podtest::writeFile(pod->path() + "/ppid", "4242\n");
    podtest::setMtime(pod->path() + "/ppid", 1700000000);
    t = rkt::pod::startTime(*pod);
    CPPUNIT_ASSERT(t.ok() && t->has_value() && **t == podtest::at(1700000000));
    podtest::writeFile(pod->path() + "/pid", "4243\n");
    podtest::setMtime(pod->path() + "/pid", 1700000100);
    t = rkt::pod::startTime(*pod);
    CPPUNIT_ASSERT(**t == podtest::at(1700000100));
    // Not started yet: a prepared pod has no start time even with files around.
    rkt::Result<Pod> prepared = preparedPod();
    podtest::writeFile(prepared->path() + "/pid", "1\n");
    CPPUNIT_ASSERT(!rkt::pod::startTime(*prepared)->has_value());
  }

  void readsPidThenPpid() {
    rkt::Result<Pod> pod = exitedPod();
    rkt::Result<pid_t> pid = rkt::pod::readPid(*pod);
    CPPUNIT_ASSERT(!pid.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, pid.error().sysErrno);
    podtest::writeFile(pod->path() + "/ppid", "4242\n");
    CPPUNIT_ASSERT_EQUAL(pid_t(4242), *rkt::pod::readPid(*pod));
    podtest::writeFile(pod->path() + "/pid", "77");
    CPPUNIT_ASSERT_EQUAL(pid_t(77), *rkt::pod::readPid(*pod));
    podtest::writeFile(pod->path() + "/pid", "seventy\n");
    pid = rkt::pod::readPid(*pod);
    CPPUNIT_ASSERT(!pid.ok());
    CPPUNIT_ASSERT_EQUAL(EINVAL, pid.error().sysErrno);
    CPPUNIT_ASSERT(pid.error().message.find("invalid pid in `pid`") == 0);
  }

  void findsPid1AsOnlyChildOfPpid() {
    rkt::Result<Pod> pod = exitedPod();
    // A stand-in for nspawn: a process whose only child is the pod's pid 1.
    podtest::Signal ready;
    pid_t parent = podtest::forkChild([&] {
      pid_t grandchild = ::fork();
      if (grandchild == 0) {
        ::pause();
        ::_exit(0);
      }
      ready.notify();
      int status;
      ::waitpid(grandchild, &status, 0);
      return 0;
    });
    ready.wait();
    podtest::writeFile(pod->path() + "/ppid", std::to_string(parent) + "\n");
    rkt::Result<pid_t> pid1 = rkt::pod::findPid1(*pod);
    rkt::Result<std::string> stat = std::string();
    if (pid1) {
      stat = rkt::posix::readFileAt(AT_FDCWD, "/proc/" + std::to_string(*pid1) + "/stat");
      ::kill(*pid1, SIGKILL);
    }
    podtest::killAndReap(parent);
    CPPUNIT_ASSERT_MESSAGE(pid1 ? "" : pid1.error().message, pid1.ok());
    CPPUNIT_ASSERT(*pid1 != parent);
    CPPUNIT_ASSERT(stat.ok());
    // Field 4 of /proc/<pid>/stat is the ppid; field 3 (state) may still be R, not S, when the
    // grandchild has not reached pause() yet.
    std::istringstream fields(stat->substr(stat->rfind(')') + 1));
    std::string state;
    pid_t ppid = 0;
    fields >> state >> ppid;
    CPPUNIT_ASSERT_EQUAL(parent, ppid);

    // A process without children: not yet (EAGAIN). A `pid` file wins over everything.
    podtest::writeFile(pod->path() + "/ppid", std::to_string(::getpid()) + "\n");
    rkt::Result<pid_t> none = rkt::pod::findPid1(*pod);
    CPPUNIT_ASSERT(!none.ok());
    CPPUNIT_ASSERT_EQUAL(EAGAIN, none.error().sysErrno);
    podtest::writeFile(pod->path() + "/pid", "1234\n");
    CPPUNIT_ASSERT_EQUAL(pid_t(1234), *rkt::pod::findPid1(*pod));
  }

  void readsAppsFromManifest() {
    rkt::Result<Pod> pod = preparedPod();
    rkt::Result<std::vector<rkt::pod::ManifestApp>> apps = rkt::pod::readManifestApps(*pod);
    CPPUNIT_ASSERT(apps.ok());
    CPPUNIT_ASSERT_EQUAL(size_t(2), apps->size());
    CPPUNIT_ASSERT_EQUAL(std::string("web"), (*apps)[0].name);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/web"), (*apps)[0].imageName);
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-aaaa"), (*apps)[0].imageId);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2"), (*apps)[0].imageVersion);
    CPPUNIT_ASSERT_EQUAL(std::string("sidecar"), (*apps)[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string(""), (*apps)[1].imageVersion);
    CPPUNIT_ASSERT_EQUAL(std::string(kManifest), *rkt::pod::readManifest(*pod));
    // A manifest without apps has none.
    rkt::Result<std::vector<rkt::pod::ManifestApp>> empty = rkt::pod::json::parsePodManifestApps(
        R"({"acVersion":"1.30.0","acKind":"PodManifest","apps":[]})");
    CPPUNIT_ASSERT(empty.ok() && empty->empty());
  }

  void rejectsBrokenManifests() {
    for (const char* bad : {"", "{", "[]", R"({"apps": {}})", R"({"apps": [{"image": {}}]})",
                            R"({"apps": [{"name": 5}]})", R"({"apps": [7]})"}) {
      rkt::Result<std::vector<rkt::pod::ManifestApp>> apps =
          rkt::pod::json::parsePodManifestApps(bad);
      CPPUNIT_ASSERT_MESSAGE(bad, !apps.ok());
      CPPUNIT_ASSERT_MESSAGE(apps.error().message,
                             apps.error().message.find("invalid pod manifest: ") == 0);
    }
    rkt::Result<Pod> pod = preparedPod();
    podtest::writeFile(pod->path() + "/pod", "not json");
    rkt::Result<std::vector<rkt::pod::ManifestApp>> apps = rkt::pod::readManifestApps(*pod);
    CPPUNIT_ASSERT(!apps.ok());
    CPPUNIT_ASSERT(
        apps.error().message.find("pod `" + pod->uuid().str() + "`: invalid pod manifest") == 0);
  }

  void imageNameFromAppsinfo() {
    rkt::Result<Pod> pod = preparedPod();
    podtest::makeDirs(pod->path() + "/appsinfo/web");
    podtest::writeFile(
        pod->path() + "/appsinfo/web/manifest",
        R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/web",)"
        R"("labels":[{"name":"arch","value":"amd64"},{"name":"version","value":"1.2"}]})");
    podtest::makeDirs(pod->path() + "/appsinfo/sidecar");
    podtest::writeFile(
        pod->path() + "/appsinfo/sidecar/manifest",
        R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/side"})");
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/web:1.2"), *rkt::pod::appImageName(*pod, "web"));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/side"), *rkt::pod::appImageName(*pod, "sidecar"));
    rkt::Result<std::string> missing = rkt::pod::appImageName(*pod, "other");
    CPPUNIT_ASSERT(!missing.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, missing.error().sysErrno);
    CPPUNIT_ASSERT(!rkt::pod::appImageName(*pod, "../web").ok());
  }

  void exitCodesFromStage1Rootfs() {
    rkt::Result<Pod> pod = exitedPod();
    CPPUNIT_ASSERT_EQUAL(std::string("stage1/rootfs"), *rkt::pod::stage1RootfsRelPath(*pod));
    // No status directory yet: no codes, no error.
    CPPUNIT_ASSERT(rkt::pod::appExitCodes(*pod)->empty());
    const std::string status = pod->path() + "/stage1/rootfs/rkt/status";
    podtest::makeDirs(status);
    podtest::writeFile(status + "/web", "0");
    podtest::writeFile(status + "/sidecar", "5\n");
    podtest::writeFile(status + "/web-created", "");  // mutable pods' markers are not codes
    podtest::makeDirs(status + "/subdir");
    CPPUNIT_ASSERT_EQUAL(0, *rkt::pod::appExitCode(*pod, "web"));
    CPPUNIT_ASSERT_EQUAL(5, *rkt::pod::appExitCode(*pod, "sidecar"));
    rkt::Result<int> missing = rkt::pod::appExitCode(*pod, "nope");
    CPPUNIT_ASSERT_EQUAL(ENOENT, missing.error().sysErrno);
    std::map<std::string, int> codes = *rkt::pod::appExitCodes(*pod);
    CPPUNIT_ASSERT_EQUAL(size_t(2), codes.size());
    CPPUNIT_ASSERT_EQUAL(0, codes["web"]);
    CPPUNIT_ASSERT_EQUAL(5, codes["sidecar"]);
  }

  void exitCodesFromOverlayUpper() {
    rkt::Result<Pod> pod = exitedPod();
    podtest::writeFile(pod->path() + "/overlay-prepared", "");
    // A stage1 plugin's pod: apps on overlay, no stage1 tree.
    CPPUNIT_ASSERT_EQUAL(std::string("stage1/rootfs"), *rkt::pod::stage1RootfsRelPath(*pod));
    podtest::writeFile(pod->path() + "/stage1TreeStoreID", "deps-sha512-0123\n");
    // A built-in flavor that recorded its stage1 image but built its own rootfs: no upper dir.
    CPPUNIT_ASSERT_EQUAL(std::string("stage1/rootfs"), *rkt::pod::stage1RootfsRelPath(*pod));
    // Written by the stage1 into its overlay: found in the upper dir even with nothing mounted.
    podtest::makeDirs(pod->path() + "/overlay/deps-sha512-0123/upper/rkt/status");
    CPPUNIT_ASSERT_EQUAL(std::string("overlay/deps-sha512-0123/upper"),
                         *rkt::pod::stage1RootfsRelPath(*pod));
    podtest::writeFile(pod->path() + "/overlay/deps-sha512-0123/upper/rkt/status/web", "3");
    podtest::makeDirs(pod->path() + "/stage1/rootfs/rkt/status");
    podtest::writeFile(pod->path() + "/stage1/rootfs/rkt/status/web", "9");
    CPPUNIT_ASSERT_EQUAL(3, *rkt::pod::appExitCode(*pod, "web"));
    podtest::writeFile(pod->path() + "/stage1TreeStoreID", "../../etc");
    CPPUNIT_ASSERT(!rkt::pod::stage1RootfsRelPath(*pod).ok());
  }

  void readsNetworks() {
    rkt::Result<Pod> pod = exitedPod();
    CPPUNIT_ASSERT(rkt::pod::readNetworks(*pod)->empty());
    podtest::writeFile(pod->path() + "/net-info.json", kNetInfo);
    rkt::Result<std::vector<rkt::pod::NetInfo>> nets = rkt::pod::readNetworks(*pod);
    CPPUNIT_ASSERT(nets.ok());
    CPPUNIT_ASSERT_EQUAL(size_t(1), nets->size());
    CPPUNIT_ASSERT_EQUAL(std::string("default"), (*nets)[0].netName);
    CPPUNIT_ASSERT_EQUAL(std::string("172.16.28.5"), (*nets)[0].ip);
    CPPUNIT_ASSERT_EQUAL(std::string("eth0"), (*nets)[0].ifName);
    CPPUNIT_ASSERT_EQUAL(std::string("/usr/lib/rkt/plugins/net/ptp"), (*nets)[0].pluginPath);
    CPPUNIT_ASSERT_EQUAL(std::string("//8AAA=="), (*nets)[0].mask);
    podtest::writeFile(pod->path() + "/net-info.json", "{}");
    CPPUNIT_ASSERT(!rkt::pod::readNetworks(*pod).ok());
  }

  void supervisorReadiness() {
    rkt::Result<Pod> pod = exitedPod();
    CPPUNIT_ASSERT(!rkt::pod::isSupervisorReady(*pod));
    podtest::makeDirs(pod->path() + "/stage1/rootfs/rkt");
    const std::string link = pod->path() + "/stage1/rootfs/rkt/supervisor-status";
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("starting", link.c_str()));
    CPPUNIT_ASSERT(!rkt::pod::isSupervisorReady(*pod));
    CPPUNIT_ASSERT_EQUAL(0, ::unlink(link.c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("ready", link.c_str()));
    CPPUNIT_ASSERT(rkt::pod::isSupervisorReady(*pod));
  }

  void collectsEverythingForStatus() {
    rkt::Result<Pod> pod = exitedPod();
    podtest::writeFile(pod->path() + "/pod", kManifest);
    podtest::writeFile(pod->path() + "/pod-created", "");
    podtest::setMtime(pod->path() + "/pod-created", 1500000000);
    podtest::writeFile(pod->path() + "/ppid", "4242\n");
    podtest::setMtime(pod->path() + "/ppid", 1500000060);
    podtest::writeFile(pod->path() + "/net-info.json", kNetInfo);
    podtest::makeDirs(pod->path() + "/stage1/rootfs/rkt/status");
    podtest::writeFile(pod->path() + "/stage1/rootfs/rkt/status/web", "7");
    CPPUNIT_ASSERT(pod->refresh().ok());

    rkt::pod::PodInfo info = rkt::pod::readPodInfo(*pod);
    CPPUNIT_ASSERT(info.uuid == pod->uuid());
    CPPUNIT_ASSERT_EQUAL(State::Exited, info.state);
    CPPUNIT_ASSERT(info.created && *info.created == podtest::at(1500000000));
    CPPUNIT_ASSERT(info.started && *info.started == podtest::at(1500000060));
    CPPUNIT_ASSERT(info.pid && *info.pid == 4242);
    CPPUNIT_ASSERT_EQUAL(size_t(2), info.apps.size());
    CPPUNIT_ASSERT(info.apps[0].exitCode && *info.apps[0].exitCode == 7);
    CPPUNIT_ASSERT(!info.apps[1].exitCode);  // no status file: still unknown, not an error
    CPPUNIT_ASSERT_EQUAL(size_t(1), info.networks.size());
    CPPUNIT_ASSERT_MESSAGE(info.errors.empty() ? "" : info.errors[0].message, info.errors.empty());

    // Broken files are reported, the rest still read.
    podtest::writeFile(pod->path() + "/pod", "{broken");
    podtest::writeFile(pod->path() + "/net-info.json", "[1]");
    info = rkt::pod::readPodInfo(*pod);
    CPPUNIT_ASSERT_EQUAL(size_t(2), info.errors.size());
    CPPUNIT_ASSERT(info.apps.empty());
    CPPUNIT_ASSERT(info.created.has_value());

    // A preparing pod without a manifest yet is not an error.
    rkt::Result<Pod> preparing = Pod::create(*dirs_);
    info = rkt::pod::readPodInfo(*preparing);
    CPPUNIT_ASSERT_EQUAL(State::Preparing, info.state);
    CPPUNIT_ASSERT(info.errors.empty());
    CPPUNIT_ASSERT(!info.created && !info.started && !info.pid);
  }

 private:
  // A prepared pod with a manifest and pod-created, opened by an observer.
  rkt::Result<Pod> preparedPod() {
    rkt::Result<Pod> pod = Pod::create(*dirs_);
    podtest::writeFile(pod->path() + "/pod", kManifest, 0640);
    podtest::writeFile(pod->path() + "/pod-created", "");
    CPPUNIT_ASSERT(pod->toPrepared().ok());
    return Pod::open(*dirs_, pod->uuid());
  }

  rkt::Result<Pod> exitedPod() {
    rkt::pod::Uuid uuid = podtest::makeExitedPod(*dirs_);
    rkt::Result<Pod> pod = Pod::open(*dirs_, uuid);
    CPPUNIT_ASSERT_EQUAL(State::Exited, pod->state());
    return pod;
  }

  std::unique_ptr<podtest::TempDataDir> tmp_;
  std::unique_ptr<rkt::pod::PodDirs> dirs_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodInfoTest);
