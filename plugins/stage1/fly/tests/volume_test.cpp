// Volumes: host (read-write, read-only, recursive or not, files), empty, image mount points
// (explicit, implicit, Docker-prefilled), and mount targets resolved inside the rootfs.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fly_harness.hpp"
#include "fly_test_util.hpp"

using namespace flytest;

namespace {

std::string hostVolume(const std::string& name, const std::string& source,
                       const std::string& extra = "") {
  return "{\"name\":" + js(name) + ",\"kind\":\"host\",\"source\":" + js(source) + extra + "}";
}

std::string mount(const std::string& volume, const std::string& path) {
  return "{\"volume\":" + js(volume) + ",\"path\":" + js(path) + "}";
}

PodOptions withVolume(const std::string& script, const std::string& volumeJson,
                      const std::string& path, const std::string& user = "0") {
  PodOptions o = shell(script, user, user);
  o.volumesJson = "[" + volumeJson + "]";
  o.mountsJson = "[" + mount("vol", path) + "]";
  return o;
}

void addMountPoint(Poco::JSON::Object& image, const std::string& name, const std::string& path,
                   bool readOnly) {
  auto app = image.getObject("app");
  Poco::JSON::Array::Ptr points = app->getArray("mountPoints");
  if (points.isNull()) {
    points = new Poco::JSON::Array;
    app->set("mountPoints", points);
  }
  Poco::JSON::Object::Ptr mp = new Poco::JSON::Object;
  mp->set("name", name);
  mp->set("path", path);
  mp->set("readOnly", readOnly);
  points->add(mp);
}

// A tmpfs the test mounts (in its own mount namespace) and unmounts on destruction.
class ScratchMount {
 public:
  explicit ScratchMount(const std::string& at) : at_(at) {
    ::mkdir(at.c_str(), 0755);
    if (::mount("tmpfs", at.c_str(), "tmpfs", 0, nullptr) != 0) {
      throw std::runtime_error("cannot mount tmpfs on " + at);
    }
  }
  ~ScratchMount() { ::umount2(at_.c_str(), MNT_DETACH); }

 private:
  std::string at_;
};

}  // namespace

class FlyVolumeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlyVolumeTest);
  CPPUNIT_TEST(hostVolumeReadWrite);
  CPPUNIT_TEST(hostVolumeReadOnly);
  CPPUNIT_TEST(recursiveOnlyWhenAsked);
  CPPUNIT_TEST(recursiveReadOnlyCoversSubmounts);
  CPPUNIT_TEST(hostFileVolume);
  CPPUNIT_TEST(emptyVolume);
  CPPUNIT_TEST(mountPointUsesPodVolumeAndItsReadOnly);
  CPPUNIT_TEST(implicitEmptyVolumeForMountPoint);
  CPPUNIT_TEST(dockerImplicitVolumeIsPrefilled);
  CPPUNIT_TEST(targetsResolvedInsideTheRootfs);
  CPPUNIT_TEST(missingVolumeIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void tearDown() override { reapEverything(); }

  void hostVolumeReadWrite() {
    std::string host = makeTempDir("host");
    writeFile(host + "/from-host", "host data\n");
    TestPod pod(withVolume("cat /data/from-host; echo app data > /data/from-app",
                           hostVolume("vol", host), "/data"));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("host data\n"), f.out);
    CPPUNIT_ASSERT_EQUAL(std::string("app data\n"), readFile(host + "/from-app"));
  }

  void hostVolumeReadOnly() {
    std::string host = makeTempDir("host");
    writeFile(host + "/from-host", "host data\n");
    TestPod pod(withVolume(
        "cat /data/from-host; if echo x > /data/new 2>/dev/null; then echo writable; else echo "
        "read-only; fi",
        hostVolume("vol", host, ",\"readOnly\":true"), "/data"));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("host data\nread-only\n"), f.out);
    CPPUNIT_ASSERT(!exists(host + "/new"));
    // Only the bind is read-only, not the host directory.
    writeFile(host + "/still-writable", "yes");
  }

  void recursiveOnlyWhenAsked() {
    std::string host = makeTempDir("host");
    ScratchMount sub(host + "/sub");
    writeFile(host + "/sub/marker", "submount\n");
    const std::string script =
        "if test -e /data/sub/marker; then echo visible; else echo hidden; fi";
    {
      TestPod pod(withVolume(script, hostVolume("vol", host), "/data"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("hidden\n"), f.out);  // fly default: not recursive
    }
    {
      TestPod pod(withVolume(script, hostVolume("vol", host, ",\"recursive\":false"), "/data"));
      Finished f = runPod(pod);
      CPPUNIT_ASSERT_EQUAL(std::string("hidden\n"), f.out);
    }
    {
      TestPod pod(withVolume(script, hostVolume("vol", host, ",\"recursive\":true"), "/data"));
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("visible\n"), f.out);
    }
  }

  void recursiveReadOnlyCoversSubmounts() {
    std::string host = makeTempDir("host");
    ScratchMount sub(host + "/sub");
    TestPod pod(withVolume(
        "for d in /data /data/sub; do if echo x > $d/new 2>/dev/null; then echo $d writable; "
        "else echo $d read-only; fi; done",
        hostVolume("vol", host, ",\"recursive\":true,\"readOnly\":true"), "/data"));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("/data read-only\n/data/sub read-only\n"), f.out);
    // The host's submount itself stays writable.
    writeFile(host + "/sub/still-writable", "yes");
  }

  void hostFileVolume() {
    std::string host = makeTempDir("host");
    writeFile(host + "/config", "key=value\n");
    // The target does not exist in the image: it is created as a file, parents included.
    TestPod pod(withVolume("cat /etc/app/config.txt; test -f /etc/app/config.txt && echo file",
                           hostVolume("vol", host + "/config"), "/etc/app/config.txt"));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("key=value\nfile\n"), f.out);
  }

  void emptyVolume() {
    PodOptions o = withVolume(
        "stat -c '%a %u %g' /scratch; ls -A /scratch | wc -l; echo written > /scratch/out",
        "{\"name\":\"vol\",\"kind\":\"empty\",\"mode\":\"0750\",\"uid\":1000,\"gid\":100}",
        "/scratch");
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("750 1000 100\n0\n"), f.out);
    CPPUNIT_ASSERT_EQUAL(std::string("written\n"), readFile(pod.dir() + "/sharedVolumes/vol/out"));
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat((pod.dir() + "/sharedVolumes").c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(0755u, static_cast<unsigned>(st.st_mode & 07777));
  }

  void mountPointUsesPodVolumeAndItsReadOnly() {
    std::string host = makeTempDir("host");
    PodOptions o;
    o.volumesJson = "[" + hostVolume("data", host) + "]";
    o.appJson = appJson({"/bin/sh", "-c",
                         "if echo x > /mp/new 2>/dev/null; then echo writable; else echo "
                         "read-only; fi"},
                        "0", "0",
                        ",\"mountPoints\":[{\"name\":\"data\",\"path\":\"/mp\","
                        "\"readOnly\":true}]");
    {
      TestPod pod(o);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("read-only\n"), f.out);  // from the mount point
    }
    {
      // The volume's own readOnly wins over the mount point's.
      o.volumesJson = "[" + hostVolume("data", host, ",\"readOnly\":false") + "]";
      TestPod pod(o);
      Finished f = runPod(pod);
      FLY_ASSERT_EXIT(0, f);
      CPPUNIT_ASSERT_EQUAL(std::string("writable\n"), f.out);
      CPPUNIT_ASSERT(exists(host + "/new"));
    }
  }

  void implicitEmptyVolumeForMountPoint() {
    PodOptions o;  // no app in the pod manifest: the image's app and its mount points
    o.patchImageManifest = [](Poco::JSON::Object& image) {
      Poco::JSON::Array::Ptr exec = new Poco::JSON::Array;
      for (const char* arg : {"/bin/sh", "-c", "stat -c '%a %u %g' /cache; echo hi > /cache/x"}) {
        exec->add(std::string(arg));
      }
      image.getObject("app")->set("exec", exec);
      addMountPoint(image, "cache", "/cache", false);
    };
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("755 0 0\n"), f.out);
    CPPUNIT_ASSERT_EQUAL(std::string("hi\n"), readFile(pod.dir() + "/sharedVolumes/app-cache/x"));
    FLY_ASSERT_CONTAINS(
        "no volume specified for mount point \"cache\", implicitly creating an "
        "\"empty\" volume",
        f.err);
  }

  void dockerImplicitVolumeIsPrefilled() {
    PodOptions o;
    o.appJson = appJson({"/bin/sh", "-c",
                         "cat /home/user/owned-by-user; stat -c '%a %u %g' "
                         "/home/user /home/user/owned-by-user"},
                        "0", "0", ",\"mountPoints\":[{\"name\":\"home\",\"path\":\"/home/user\"}]");
    o.patchImageManifest = [](Poco::JSON::Object& image) {
      Poco::JSON::Array::Ptr annotations = new Poco::JSON::Array;
      Poco::JSON::Object::Ptr a = new Poco::JSON::Object;
      a->set("name", "appc.io/docker/repository");
      a->set("value", "library/busybox");
      annotations->add(a);
      image.set("annotations", annotations);
    };
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("user's file\n755 1000 1000\n640 1000 1000\n"), f.out);
    CPPUNIT_ASSERT(exists(pod.dir() + "/sharedVolumes/app-home/owned-by-user"));
    FLY_ASSERT_CONTAINS("Docker converted image, initializing implicit volume", f.err);
  }

  void targetsResolvedInsideTheRootfs() {
    std::string host = makeTempDir("host");
    writeFile(host + "/marker", "volume\n");
    // An image symlink that would leave the rootfs if followed on the host, and an absolute
    // one: both are followed as inside a chroot.
    const std::string outside = fixture().workRoot + "/outside-" + std::to_string(::getpid());
    PodOptions o;
    o.appJson =
        appJson({"/bin/sh", "-c", "cat /escape/marker; cat /var/data/marker; cat /abs/marker"});
    o.volumesJson = "[" + hostVolume("a", host) + "," + hostVolume("b", host) + "]";
    o.mountsJson = "[" + mount("a", "/escape") + "," + mount("b", "/abs") + "]";
    TestPod pod(o);
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(("../../../../../../../../../../.." + outside).c_str(),
                                      (pod.appRootfs() + "/escape").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("/var/data", (pod.appRootfs() + "/abs").c_str()));
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(0, f);
    CPPUNIT_ASSERT_EQUAL(std::string("volume\nvolume\nvolume\n"), f.out);
    CPPUNIT_ASSERT_MESSAGE("the host path outside the rootfs was touched", !exists(outside));
    CPPUNIT_ASSERT(exists(pod.appRootfs() + outside));  // created inside the rootfs instead
    CPPUNIT_ASSERT(exists(pod.appRootfs() + "/var/data"));
  }

  void missingVolumeIsAnError() {
    PodOptions o = shell("echo should-not-run");
    o.volumesJson = "[" + hostVolume("vol", "/no/such/host/path") + "]";
    o.mountsJson = "[" + mount("vol", "/data") + "]";
    TestPod pod(o);
    Finished f = runPod(pod);
    FLY_ASSERT_EXIT(254, f);
    FLY_ASSERT_CONTAINS("/no/such/host/path", f.err);
    CPPUNIT_ASSERT_EQUAL(std::string(), f.out);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlyVolumeTest);
