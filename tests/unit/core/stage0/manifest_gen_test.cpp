// Pod manifest generation from the command line: per-app overrides, mounts, isolators, names,
// environment precedence (core/stage0/manifest_gen.hpp, environment.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>
#include <cstdio>

#include <cstdlib>
#include <fstream>

#include "rkt/core/stage0/manifest_gen.hpp"
#include "rkt/schema/image_manifest.hpp"

using namespace rkt;
using namespace rkt::stage0;

namespace {

ResolvedImage image(const std::string& name, bool withApp = true) {
  std::string json =
      R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":")" + name +
      R"(","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}])";
  if (withApp)
    json +=
        R"(,"app":{"exec":["/bin/sh","-c","true"],"user":"0","group":"0",)"
        R"("environment":[{"name":"IMG","value":"image"},{"name":"OVER","value":"image"}],)"
        R"("isolators":[{"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_KILL"]}}]})";
  json += "}";
  Result<schema::ImageManifest> m = schema::parseImageManifest(json);
  CPPUNIT_ASSERT_MESSAGE(m ? "" : m.error().message, m.ok());
  return {"sha512-" + std::string(64, 'a'), *m};
}

AppList oneApp(const std::string& image) {
  AppList list;
  list.create(image);
  return list;
}

std::string envValue(const schema::RuntimeApp& ra, const std::string& name) {
  return schema::findValue(ra.app->environment, name).value_or("<unset>");
}

}  // namespace

class ManifestGenTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ManifestGenTest);
  CPPUNIT_TEST(defaultsFromImage);
  CPPUNIT_TEST(appNames);
  CPPUNIT_TEST(overrides);
  CPPUNIT_TEST(execWithoutAppSection);
  CPPUNIT_TEST(mountsMergeAppFirst);
  CPPUNIT_TEST(isolatorOverrides);
  CPPUNIT_TEST(environmentPrecedence);
  CPPUNIT_TEST(envFile);
  CPPUNIT_TEST(duplicateNames);
  CPPUNIT_TEST(seccompFlag);
  CPPUNIT_TEST(ports);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaultsFromImage() {
    AppList list = oneApp("x.aci");
    list.volumes.push_back(*schema::volumeFromString("v,kind=empty"));
    Result<schema::PodManifest> pm =
        generatePodManifest(list, {image("example.com/busybox")}, {}, {"1.30.0", 0, 0, {}});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("1.30.0"), pm->acVersion);
    const schema::RuntimeApp& ra = pm->apps.at(0);
    CPPUNIT_ASSERT_EQUAL(std::string("busybox"), ra.name);
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/busybox"), ra.image.name);
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), *schema::findValue(ra.image.labels, "os"));
    CPPUNIT_ASSERT((ra.app->exec == schema::Exec{"/bin/sh", "-c", "true"}));
    CPPUNIT_ASSERT_EQUAL(std::string("false"),
                         *schema::findValue(pm->annotations, kMutableAnnotation));
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), pm->volumes.size());
  }

  void appNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("alpine-sh"),
                         *appNameFromImageName("quay.io/coreos/alpine-sh"));
    CPPUNIT_ASSERT_EQUAL(std::string("redis"),
                         *appNameFromImageName("registry-1.docker.io/library/redis"));
    CPPUNIT_ASSERT_EQUAL(std::string("my-app"), *appNameFromImageName("example.com/My_App"));
    AppList list = oneApp("x");
    list.apps[0].name = "Bad_Name";
    Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b")}, {}, {});
    CPPUNIT_ASSERT(!pm.ok());
    CPPUNIT_ASSERT(pm.error().message.rfind("invalid app name format", 0) == 0);
  }

  void overrides() {
    AppList list = oneApp("x");
    AppSpec& a = list.apps[0];
    CPPUNIT_ASSERT(setAppFlag(list, "exec", "/bin/echo").ok());
    a.hasArgs = true;
    a.args = {"hello", "world"};
    CPPUNIT_ASSERT(setAppFlag(list, "working-dir", "/tmp").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "user", "user1").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "group", "300").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "supplementary-gids", "5,6").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "readonly-rootfs", "true").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "annotation", "example.com/a=b").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "user-label", "k=v").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "user-annotation", "ka=va").ok());
    Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b")}, {}, {});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
    const schema::RuntimeApp& ra = pm->apps.at(0);
    CPPUNIT_ASSERT((ra.app->exec == schema::Exec{"/bin/echo", "hello", "world"}));
    CPPUNIT_ASSERT_EQUAL(std::string("/tmp"), ra.app->workingDirectory);
    CPPUNIT_ASSERT_EQUAL(std::string("user1"), ra.app->user);
    CPPUNIT_ASSERT_EQUAL(std::string("300"), ra.app->group);
    CPPUNIT_ASSERT((ra.app->supplementaryGids == std::vector<std::uint32_t>{5, 6}));
    CPPUNIT_ASSERT(ra.readOnlyRootFs);
    CPPUNIT_ASSERT_EQUAL(std::string("b"), *schema::findValue(ra.annotations, "example.com/a"));
    CPPUNIT_ASSERT_EQUAL(std::string("v"), ra.app->userLabels.at("k"));
    CPPUNIT_ASSERT_EQUAL(std::string("va"), ra.app->userAnnotations.at("ka"));
    // Arguments without --exec append to the image's exec.
    AppList list2 = oneApp("x");
    list2.apps[0].hasArgs = true;
    list2.apps[0].args = {"more"};
    Result<schema::PodManifest> pm2 = generatePodManifest(list2, {image("a/b")}, {}, {});
    CPPUNIT_ASSERT((pm2->apps[0].app->exec == schema::Exec{"/bin/sh", "-c", "true", "more"}));
  }

  void execWithoutAppSection() {
    AppList list = oneApp("x");
    Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b", false)}, {}, {});
    CPPUNIT_ASSERT(!pm.ok());
    CPPUNIT_ASSERT(pm.error().message.find("has no app section and --exec argument is not "
                                           "provided") != std::string::npos);
    CPPUNIT_ASSERT(setAppFlag(list, "exec", "/bin/true").ok());
    pm = generatePodManifest(list, {image("a/b", false)}, {}, {"", 1000, 1001, {}});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("1000"), pm->apps[0].app->user);
    CPPUNIT_ASSERT_EQUAL(std::string("1001"), pm->apps[0].app->group);
  }

  void mountsMergeAppFirst() {
    AppList list;
    CPPUNIT_ASSERT(setAppFlag(list, "mount", "volume=g,target=/data/").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "mount", "volume=g,target=/other").ok());
    list.create("x");
    CPPUNIT_ASSERT(setAppFlag(list, "mount", "volume=a,target=/data").ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), list.mounts.size());
    list.volumes.push_back(*schema::volumeFromString("g,kind=empty"));
    list.volumes.push_back(*schema::volumeFromString("a,kind=empty"));
    CPPUNIT_ASSERT(validateAppList(list).ok());
    Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b")}, {}, {});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
    const auto& mounts = pm->apps[0].mounts;
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), mounts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("a"), mounts[0].volume);
    CPPUNIT_ASSERT_EQUAL(std::string("/other"), mounts[1].path);
    Result<schema::Mount> bad = parseMountFlag("volume=x,targte=/a");
    CPPUNIT_ASSERT_EQUAL(std::string("unknown mount parameter \"targte\""), bad.error().message);
  }

  void isolatorOverrides() {
    AppList list = oneApp("x");
    CPPUNIT_ASSERT(setAppFlag(list, "memory", "16M").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "cpu", "500m").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "cpu-shares", "2048").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "oom-score-adj", "-5").ok());
    CPPUNIT_ASSERT(setAppFlag(list, "caps-remove", "CAP_MKNOD,CAP_NET_RAW").ok());
    Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b")}, {}, {});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
    const schema::Isolators& iso = pm->apps[0].app->isolators;
    CPPUNIT_ASSERT(schema::findIsolator(iso, schema::isolator::kCapabilitiesRetainSet) == nullptr);
    const auto* caps = schema::findIsolator(iso, schema::isolator::kCapabilitiesRemoveSet)
                           ->as<schema::CapabilitySet>();
    CPPUNIT_ASSERT((caps->set == std::vector<std::string>{"CAP_MKNOD", "CAP_NET_RAW"}));
    CPPUNIT_ASSERT(schema::findIsolator(iso, schema::isolator::kResourceMemory) != nullptr);
    CPPUNIT_ASSERT_EQUAL(
        std::int64_t(2048),
        schema::findIsolator(iso, schema::isolator::kCpuShares)->as<schema::CpuShares>()->value);
    CPPUNIT_ASSERT(setAppFlag(list, "caps-retain", "CAP_KILL").ok());
    pm = generatePodManifest(list, {image("a/b")}, {}, {});
    CPPUNIT_ASSERT_EQUAL(
        std::string("error: cannot use both --caps-retain and --caps-remove on the same image"),
        pm.error().message);
    CPPUNIT_ASSERT(!setAppFlag(list, "cpu-shares", "1").ok());
    CPPUNIT_ASSERT_EQUAL(std::string("strconv.Atoi: parsing \"x\": invalid syntax"),
                         setAppFlag(list, "oom-score-adj", "x").error().message);
  }

  void environmentPrecedence() {
    AppList list = oneApp("x");
    CPPUNIT_ASSERT(setAppFlag(list, "environment", "OVER=app").ok());
    PodEnvironment env;
    env.inheritEnv = true;
    env.inherited = {"IMG=host", "HOSTONLY=host", "FILE=host", "BASH_FUNC_f%%=() {}"};
    CPPUNIT_ASSERT(addSetEnv(env.fromFile, "FILE=file").ok());
    CPPUNIT_ASSERT(addSetEnv(env.fromFile, "SET=file").ok());
    CPPUNIT_ASSERT(addSetEnv(env.explicitEnv, "SET=set").ok());
    CPPUNIT_ASSERT(addSetEnv(env.explicitEnv, "OVER=set").ok());
    CPPUNIT_ASSERT_EQUAL(std::string("key \"SET\" already set"),
                         addSetEnv(env.explicitEnv, "SET=again").error().message);
    Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b")}, env, {});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
    const schema::RuntimeApp& ra = pm->apps[0];
    CPPUNIT_ASSERT_EQUAL(std::string("image"), envValue(ra, "IMG"));  // inherit never overrides
    CPPUNIT_ASSERT_EQUAL(std::string("host"), envValue(ra, "HOSTONLY"));
    CPPUNIT_ASSERT_EQUAL(std::string("file"), envValue(ra, "FILE"));
    CPPUNIT_ASSERT_EQUAL(std::string("set"), envValue(ra, "SET"));
    CPPUNIT_ASSERT_EQUAL(std::string("app"), envValue(ra, "OVER"));
    CPPUNIT_ASSERT_EQUAL(std::string("<unset>"), envValue(ra, "BASH_FUNC_f%%"));
  }

  void envFile() {
    char path[] = "/tmp/rkt-envfile-XXXXXX";
    const int fd = ::mkstemp(path);
    CPPUNIT_ASSERT(fd >= 0);
    ::close(fd);
    { std::ofstream(path) << "# comment\n; also\n\nA=1\nB=x=y\n"; }
    schema::Environment env;
    CPPUNIT_ASSERT(readEnvFile(env, path).ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), env.size());
    CPPUNIT_ASSERT_EQUAL(std::string("x=y"), env[1].value);
    { std::ofstream(path) << "A=1\nA=2\n"; }
    schema::Environment dup;
    CPPUNIT_ASSERT_EQUAL(
        "environment variable \"A\" already set (file \"" + std::string(path) + "\")",
        readEnvFile(dup, path).error().message);
    { std::ofstream(path) << "novalue\n"; }
    schema::Environment bad;
    CPPUNIT_ASSERT_EQUAL(
        "environment variable must be specified as name=value (file \"" + std::string(path) + "\")",
        readEnvFile(bad, path).error().message);
    std::remove(path);
  }

  void duplicateNames() {
    AppList list = oneApp("x");
    list.create("y");
    Result<schema::PodManifest> pm =
        generatePodManifest(list, {image("a/same"), image("b/same")}, {}, {});
    CPPUNIT_ASSERT_EQUAL(std::string("error: multiple apps with name same"), pm.error().message);
    CPPUNIT_ASSERT(setAppFlag(list, "name", "other").ok());
    pm = generatePodManifest(list, {image("a/same"), image("b/same")}, {}, {});
    CPPUNIT_ASSERT_MESSAGE(pm ? "" : pm.error().message, pm.ok());
  }

  void ports();

  void seccompFlag() {
    Result<schema::Isolator> iso =
        seccompIsolatorFromFlag("mode=retain,errno=EPERM,chmod,@rkt/default-whitelist");
    CPPUNIT_ASSERT_MESSAGE(iso ? "" : iso.error().message, iso.ok());
    CPPUNIT_ASSERT_EQUAL(std::string(schema::isolator::kSeccompRetainSet), iso->name);
    CPPUNIT_ASSERT_EQUAL(std::string("EPERM"), iso->as<schema::SeccompSet>()->errnoName);
    CPPUNIT_ASSERT_EQUAL(std::size_t(2), iso->as<schema::SeccompSet>()->set.size());
    CPPUNIT_ASSERT_EQUAL(std::string("invalid seccomp mode command-line override"),
                         seccompIsolatorFromFlag("chmod").error().message);
    CPPUNIT_ASSERT_EQUAL(std::string("invalid seccomp command-line override"),
                         seccompIsolatorFromFlag("mode=remove,foo=bar,chmod").error().message);
  }
};

void ManifestGenTest::ports() {
  Result<schema::ExposedPort> p = parsePortFlag("http:8080");
  CPPUNIT_ASSERT_MESSAGE(p ? "" : p.error().message, p.ok());
  CPPUNIT_ASSERT_EQUAL(std::string("http"), p->name);
  CPPUNIT_ASSERT_EQUAL(std::uint32_t(8080), p->hostPort);
  p = parsePortFlag("http:127.0.0.1:80");
  CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), p->hostIp);
  CPPUNIT_ASSERT_EQUAL(std::string("\"http\" is not in name:[ip:]port format"),
                       parsePortFlag("http").error().message);
  CPPUNIT_ASSERT_EQUAL(std::string("\"x.y\" is not a valid IP"),
                       parsePortFlag("http:x.y:80").error().message);
  CPPUNIT_ASSERT_EQUAL(std::string("\"99999\" is not a valid port number"),
                       parsePortFlag("http:99999").error().message);
  AppList list = oneApp("x");
  ManifestOptions options;
  options.ports.push_back(*parsePortFlag("web:80"));
  Result<schema::PodManifest> pm = generatePodManifest(list, {image("a/b")}, {}, options);
  CPPUNIT_ASSERT_EQUAL(std::string("port name \"web\" could not be found in any apps"),
                       pm.error().message);
}

CPPUNIT_TEST_SUITE_REGISTRATION(ManifestGenTest);
