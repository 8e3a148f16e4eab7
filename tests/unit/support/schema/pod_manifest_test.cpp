// PodManifest: every field, templates vs reified pods, serialisation.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/pod_manifest.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;
using rkt::schema::test::podJson;

namespace {
const std::string kId = "sha512-" + std::string(64, 'a');

// A pod with one app `web` plus `appExtra` members in the app and `podExtra` in the pod.
std::string oneApp(const std::string& appExtra, const std::string& podExtra = "") {
  return podJson(R"("apps":[{"name":"web","image":{"id":")" + kId + "\"}" +
                 (appExtra.empty() ? "" : "," + appExtra) + "}]" +
                 (podExtra.empty() ? "" : "," + podExtra));
}
}  // namespace

class PodManifestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodManifestTest);
  CPPUNIT_TEST(minimalPod);
  CPPUNIT_TEST(acKindAndVersion);
  CPPUNIT_TEST(appNames);
  CPPUNIT_TEST(appImage);
  CPPUNIT_TEST(appOverride);
  CPPUNIT_TEST(readOnlyRootFs);
  CPPUNIT_TEST(mounts);
  CPPUNIT_TEST(appAnnotations);
  CPPUNIT_TEST(volumes);
  CPPUNIT_TEST(podIsolators);
  CPPUNIT_TEST(podAnnotations);
  CPPUNIT_TEST(exposedPorts);
  CPPUNIT_TEST(userAnnotationsAndLabels);
  CPPUNIT_TEST(reification);
  CPPUNIT_TEST(lookups);
  CPPUNIT_TEST(generatedPodRoundTrips);
  CPPUNIT_TEST_SUITE_END();

  static PodManifest good(const std::string& json) {
    auto m = parsePodManifest(json);
    SCHEMA_ASSERT_OK(m);
    return *m;
  }

 public:
  void minimalPod() {
    PodManifest m = good(podJson(R"("apps":[])"));
    CPPUNIT_ASSERT(m.apps.empty());
    CPPUNIT_ASSERT(good(podJson()).apps.empty());  // a mutable pod starts without apps
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"acVersion":"1.30.0","acKind":"PodManifest","apps":[],"volumes":[],)"
                    R"("isolators":[],"annotations":[],"ports":[]})"),
        serializePodManifest(m).value());
    CPPUNIT_ASSERT_EQUAL(
        std::string("{\n\t\"acVersion\": \"1.30.0\",\n\t\"acKind\": \"PodManifest\",\n"
                    "\t\"apps\": [],\n\t\"volumes\": [],\n\t\"isolators\": [],\n"
                    "\t\"annotations\": [],\n\t\"ports\": []\n}"),
        serializePodManifest(m, JsonStyle::Pretty).value());
    PodManifest fresh;
    fresh.acVersion = "1.30.0";
    CPPUNIT_ASSERT(fresh == m);
    CPPUNIT_ASSERT_EQUAL(std::string("0.8.11"), PodManifest().acVersion);
  }

  void acKindAndVersion() {
    SCHEMA_ASSERT_ERROR(parsePodManifest(R"({"acVersion":"1.30.0","apps":[]})"),
                        "invalid pod manifest: `acKind`: must be set to `PodManifest`");
    SCHEMA_ASSERT_ERROR(parsePodManifest(R"({"acVersion":"1.30.0","acKind":"ImageManifest"})"),
                        "`acKind`: must be `PodManifest`, got `ImageManifest`");
    SCHEMA_ASSERT_ERROR(parsePodManifest(R"({"acKind":"PodManifest","apps":[]})"),
                        "`acVersion`: must be set");
    SCHEMA_ASSERT_ERROR(parsePodManifest(R"({"acKind":"PodManifest","acVersion":"1.30"})"),
                        "not a semantic version");
    SCHEMA_ASSERT_ERROR(parsePodManifest("[]"), "invalid pod manifest: expected an object");
    SCHEMA_ASSERT_ERROR(parsePodManifest("{"), "invalid pod manifest: malformed JSON");
    CPPUNIT_ASSERT_EQUAL(
        std::string("PodManifest"),
        good(R"({"ACVERSION":"1.30.0","ackind":"PodManifest","unknown":1})").acKind);
  }

  void appNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("web"), good(oneApp("")).apps[0].name);
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("apps":[{"image":{"id":")" + kId + R"("}}])")),
                        "`apps[0].name`: invalid AC name: must not be empty");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("apps":[{"name":"my_app","image":{"id":")" + kId + R"("}}])")),
        "`apps[0].name`: invalid AC name `my_app`");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("apps":[{"name":"a","image":{"id":")" + kId +
                                 R"("}},{"name":"a","image":{"name":"x.com/y"}}])")),
        "`apps[1].name`: duplicate app `a`");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("apps":{})")), "`apps`: expected an array");
  }

  void appImage() {
    PodManifest m = good(podJson(R"("apps":[{"name":"a","image":{"name":"example.com/a","id":")" +
                                 kId + R"(","labels":[{"name":"version","value":"1"}]}}])"));
    CPPUNIT_ASSERT((m.apps[0].image == RuntimeImage{"example.com/a", kId, {{"version", "1"}}}));
    good(podJson(R"("apps":[{"name":"a","image":{"name":"example.com/a"}}])"));  // template
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("apps":[{"name":"a","image":{}}])")),
                        "`apps[0].image`: needs an `id` or a `name`");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("apps":[{"name":"a"}])")),
                        "`apps[0].image`: needs an `id` or a `name`");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("apps":[{"name":"a","image":{"id":"sha512-XYZ"}}])")),
        "`apps[0].image.id`: invalid image ID `sha512-XYZ`");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("apps":[{"name":"a","image":{"name":"Example.com"}}])")),
        "`apps[0].image.name`: invalid AC identifier");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(
            R"("apps":[{"name":"a","image":{"name":"a.com/b","labels":[{"name":"os","value":"plan9"}]}}])")),
        "`apps[0].image.labels`: bad os \"plan9\"");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("apps":[{"name":"a","image":"a.com/b"}])")),
                        "`apps[0].image`: expected an object, got a string");
  }

  void appOverride() {
    PodManifest m = good(oneApp(R"("app":{"exec":["/bin/sh"],"user":"0","group":"0"})"));
    CPPUNIT_ASSERT((m.apps[0].app->exec == Exec{"/bin/sh"}));
    CPPUNIT_ASSERT(!good(oneApp("")).apps[0].app);
    SCHEMA_ASSERT_ERROR(parsePodManifest(oneApp(R"("app":{"exec":["/bin/sh"],"group":"0"})")),
                        "`apps[0].app.user`: must be set");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(
            oneApp(R"("app":{"user":"0","group":"0","isolators":[{"name":"x.com/y","value":1}]})")),
        "`apps[0].app.isolators[0].name`: unknown isolator `x.com/y`");
  }

  void readOnlyRootFs() {
    CPPUNIT_ASSERT(good(oneApp(R"("readOnlyRootFS":true)")).apps[0].readOnlyRootFs);
    CPPUNIT_ASSERT(!good(oneApp(R"("readOnlyRootFS":false)")).apps[0].readOnlyRootFs);
    SCHEMA_ASSERT_ERROR(parsePodManifest(oneApp(R"("readOnlyRootFS":"yes")")),
                        "`apps[0].readOnlyRootFS`: expected a boolean, got a string");
    CPPUNIT_ASSERT(serializePodManifest(good(oneApp(R"("readOnlyRootFS":false)")))
                       .value()
                       .find("readOnlyRootFS") == std::string::npos);
  }

  void mounts() {
    PodManifest m = good(oneApp(
        R"("mounts":[{"volume":"data","path":"/data"},{"volume":"inline","path":"/x","appVolume":{"name":"inline","kind":"empty"}}])",
        R"("volumes":[{"name":"data","kind":"host","source":"/srv"}])"));
    CPPUNIT_ASSERT_EQUAL(size_t(2), m.apps[0].mounts.size());
    CPPUNIT_ASSERT_EQUAL(std::string("0755"), m.apps[0].mounts[1].appVolume->mode.value());
    SCHEMA_ASSERT_ERROR(parsePodManifest(oneApp(R"("mounts":[{"path":"/data"}])")),
                        "`apps[0].mounts[0].volume`: invalid AC name");
    SCHEMA_ASSERT_ERROR(parsePodManifest(oneApp(R"("mounts":[{"volume":"data"}])")),
                        "`apps[0].mounts[0].path`: must not be empty");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(oneApp(
            R"("mounts":[{"volume":"v","path":"/v","appVolume":{"name":"v","kind":"host"}}])")),
        "`apps[0].mounts[0].appVolume.source`: must be set for a host volume");
    SCHEMA_ASSERT_ERROR(parsePodManifest(oneApp(R"("mounts":[{"volume":"v","path":1}])")),
                        "`apps[0].mounts[0].path`: expected a string");
  }

  void appAnnotations() {
    PodManifest m =
        good(oneApp(R"("annotations":[{"name":"coreos.com/rkt/stage2/stdin","value":"null"}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("null"),
                         findValue(m.apps[0].annotations, "coreos.com/rkt/stage2/stdin").value());
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(
            oneApp(R"("annotations":[{"name":"a","value":"1"},{"name":"a","value":"2"}])")),
        "`apps[0].annotations[1].name`: duplicate annotation `a`");
  }

  void volumes() {
    PodManifest m = good(podJson(
        R"("volumes":[{"name":"h","kind":"host","source":"/srv","readOnly":true,"recursive":false},{"name":"e","kind":"empty","mode":"0700","uid":1,"gid":2},{"name":"d","kind":"empty"}])"));
    CPPUNIT_ASSERT_EQUAL(size_t(3), m.volumes.size());
    CPPUNIT_ASSERT(*m.volumes[0].readOnly && !*m.volumes[0].recursive);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2), m.volumes[1].gid.value());
    // Parsing fills in an empty volume's defaults, so they are written back.
    CPPUNIT_ASSERT_EQUAL(std::string("0755"), m.volumes[2].mode.value());
    CPPUNIT_ASSERT(serializePodManifest(m).value().find(
                       R"({"name":"d","kind":"empty","mode":"0755","uid":0,"gid":0})") !=
                   std::string::npos);
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(
            R"("volumes":[{"name":"v","kind":"host","source":"/a"},{"name":"v","kind":"empty"}])")),
        "`volumes[1].name`: duplicate volume name \"v\"");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("volumes":[{"name":"v","kind":"nfs"}])")),
                        "`volumes[0].kind`: must be `host` or `empty`, got `nfs`");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(
                            R"("volumes":[{"name":"v","kind":"host","source":"/a","uid":0}])")),
                        "`volumes[0].uid`: is not allowed for a host volume");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("volumes":[{"name":"v","kind":"empty","uid":-1}])")),
        "`volumes[0].uid`: must be between 0 and 4294967295");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("volumes":[{"name":"v","kind":"empty","mode":755}])")),
        "`volumes[0].mode`: expected a string, got a number");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(
            podJson(R"("volumes":[{"name":"v","kind":"host","source":"/a","readOnly":"true"}])")),
        "`volumes[0].readOnly`: expected a boolean");
  }

  void podIsolators() {
    PodManifest m = good(podJson(
        R"("isolators":[{"name":"resource/memory","value":{"limit":"4G"}},{"name":"example.com/future","value":{"x":[1]}},{"name":"os/unix/sysctl","value":{"net.a":"1"}}])"));
    CPPUNIT_ASSERT_EQUAL(size_t(3), m.isolators.size());
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"x":[1]})"),
                         m.isolators[1].as<UnknownIsolatorValue>()->json);
    CPPUNIT_ASSERT(serializePodManifest(m).value().find(
                       R"({"name":"example.com/future","value":{"x":[1]}})") != std::string::npos);
    PodManifest raw = good(podJson(R"("isolators":[{"name":"x/y"},{"name":"x/w","value":"s"}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("null"), raw.isolators[0].as<UnknownIsolatorValue>()->json);
    CPPUNIT_ASSERT(serializePodManifest(raw).value().find(
                       R"("isolators":[{"name":"x/y","value":null},{"name":"x/w","value":"s"}])") !=
                   std::string::npos);
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(
            podJson(R"("isolators":[{"name":"resource/memory","value":{"default":true}}])")),
        "`isolators[0].value.default`: must be false");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("isolators":[{"name":"Bad","value":1}])")),
                        "`isolators[0].name`");
  }

  void podAnnotations() {
    PodManifest m = good(
        podJson(R"("annotations":[{"name":"coreos.com/rkt/stage1/mutable","value":"false"}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("false"),
                         findValue(m.annotations, "coreos.com/rkt/stage1/mutable").value());
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(
            podJson(R"("annotations":[{"name":"x","value":"1"},{"name":"x","value":"1"}])")),
        "`annotations[1].name`: duplicate annotation `x`");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(R"("annotations":[{"name":"created","value":"now"}])")),
        "`annotations[0].value`: invalid date `now`");
  }

  void exposedPorts() {
    PodManifest m = good(podJson(
        R"("ports":[{"name":"http","hostPort":8080},{"name":"dns","hostPort":53,"hostIP":"::1","podPort":{"name":"dns","protocol":"udp","port":53}}])"));
    CPPUNIT_ASSERT((m.ports[0] == ExposedPort{"http", 8080, "", std::nullopt}));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), m.ports[1].podPort->count);
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("ports":[{"name":"http"}])")),
                        "`ports[0].hostPort`: must be between 1 and 65535, got 0");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(
                            R"("ports":[{"name":"http","hostPort":80,"hostIP":"300.1.1.1"}])")),
                        "`ports[0].hostIP`: not an IP address: `300.1.1.1`");
    SCHEMA_ASSERT_ERROR(
        parsePodManifest(podJson(
            R"("ports":[{"name":"http","hostPort":80,"podPort":{"name":"x","protocol":"tcp"}}])")),
        "`ports[0].podPort.port`");
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("ports":[{"name":"http","hostPort":-80}])")),
                        "`ports[0].hostPort`: must not be negative");
  }

  void userAnnotationsAndLabels() {
    PodManifest m =
        good(podJson(R"("userAnnotations":{"Free Form":"x"},"userLabels":{"env":"prod"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("x"), m.userAnnotations.at("Free Form"));
    CPPUNIT_ASSERT_EQUAL(std::string("prod"), m.userLabels.at("env"));
    const std::string out = serializePodManifest(m).value();
    CPPUNIT_ASSERT(
        out.find(R"("userAnnotations":{"Free Form":"x"},"userLabels":{"env":"prod"}})") !=
        std::string::npos);
    SCHEMA_ASSERT_ERROR(parsePodManifest(podJson(R"("userLabels":{"env":true})")),
                        "`userLabels.env`: expected a string, got a boolean");
  }

  void reification() {
    SCHEMA_ASSERT_OK(
        checkPodReified(good(oneApp(R"("mounts":[{"volume":"data","path":"/d"}])",
                                    R"("volumes":[{"name":"data","kind":"empty"}])"))));
    SCHEMA_ASSERT_OK(checkPodReified(good(oneApp(
        R"("mounts":[{"volume":"own","path":"/d","appVolume":{"name":"own","kind":"empty"}}])"))));
    SCHEMA_ASSERT_ERROR(
        checkPodReified(good(oneApp(R"("mounts":[{"volume":"data","path":"/d"}])"))),
        "pod manifest is not reified: `apps[0].mounts[0].volume`: no volume called `data`");
    PodManifest tmpl = good(podJson(R"("apps":[{"name":"a","image":{"name":"example.com/a"}}])"));
    SCHEMA_ASSERT_ERROR(checkPodReified(tmpl), "`apps[0].image.id`: app `a` has no image ID");
    // A template serialises without the id (the reference library refuses to).
    CPPUNIT_ASSERT(serializePodManifest(tmpl).value().find(R"("image":{"name":"example.com/a"})") !=
                   std::string::npos);
  }

  void lookups() {
    PodManifest m = good(podJson(R"("apps":[{"name":"a","image":{"id":")" + kId +
                                 R"("}},{"name":"b","image":{"id":")" + kId +
                                 R"("}}],"volumes":[{"name":"v","kind":"empty"}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("b"), m.findApp("b")->name);
    CPPUNIT_ASSERT(!m.findApp("c"));
    m.findApp("a")->readOnlyRootFs = true;
    CPPUNIT_ASSERT(m.apps[0].readOnlyRootFs);
    CPPUNIT_ASSERT_EQUAL(std::string("empty"), m.findVolume("v")->kind);
    CPPUNIT_ASSERT(!m.findVolume("w"));
  }

  void generatedPodRoundTrips() {
    // A pod as `rkt prepare` would write it.
    PodManifest m;
    m.acVersion = "1.30.0";
    RuntimeApp ra;
    ra.name = "etcd";
    ra.image = RuntimeImage{
        "coreos.com/etcd", kId, {{"version", "v3.3.0"}, {"os", "linux"}, {"arch", "amd64"}}};
    App app;
    app.exec = {"/etcd", "--name=x"};
    app.user = "0";
    app.group = "0";
    app.environment = {{"ETCD_DATA_DIR", "/var/lib/etcd"}};
    app.isolators = {Isolator{
        "resource/memory",
        ResourceValue{false, Quantity::parse("512M").value(), Quantity::parse("512M").value()}}};
    app.mountPoints = {{"data", "/var/lib/etcd", false}};
    app.ports = {{"client", "tcp", 2379, 1, false}};
    ra.app = app;
    ra.mounts = {{"data", "/var/lib/etcd", std::nullopt}};
    ra.annotations = {{"coreos.com/rkt/stage2/stdout", "log"}};
    m.apps.push_back(ra);
    Volume v;
    v.name = "data";
    v.kind = "host";
    v.source = "/srv/etcd";
    v.readOnly = false;
    m.volumes.push_back(v);
    m.isolators = {Isolator{"os/unix/sysctl", Sysctl{{{"net.core.somaxconn", "1024"}}}}};
    m.annotations = {{"coreos.com/rkt/stage1/mutable", "false"}};
    m.ports = {{"client", 2379, "0.0.0.0", std::nullopt}};
    m.userAnnotations = {{"k", "v"}};
    m.userLabels = {{"l", "w"}};
    SCHEMA_ASSERT_OK(validatePodManifest(m));
    SCHEMA_ASSERT_OK(checkPodReified(m));
    for (JsonStyle style : {JsonStyle::Compact, JsonStyle::Pretty}) {
      auto text = serializePodManifest(m, style);
      SCHEMA_ASSERT_OK(text);
      CPPUNIT_ASSERT(good(*text) == m);
    }
    m.apps.push_back(ra);
    SCHEMA_ASSERT_ERROR(serializePodManifest(m),
                        "invalid pod manifest: `apps[1].name`: duplicate app `etcd`");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodManifestTest);
