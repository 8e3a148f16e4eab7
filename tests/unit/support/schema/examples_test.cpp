// The appc example manifests (tests/unit/data/appc) parse, validate and round-trip.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/os_arch.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;
using rkt::schema::test::readAppcData;

class AppcExamplesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppcExamplesTest);
  CPPUNIT_TEST(imageExampleHasEveryField);
  CPPUNIT_TEST(imageExamplesRoundTrip);
  CPPUNIT_TEST(podRuntimeExample);
  CPPUNIT_TEST(podTemplateExample);
  CPPUNIT_TEST(podExamplesRoundTrip);
  CPPUNIT_TEST(prettyOutputRoundTrips);
  CPPUNIT_TEST_SUITE_END();

  static ImageManifest image(const std::string& file) {
    auto m = parseImageManifest(readAppcData(file));
    SCHEMA_ASSERT_OK(m);
    return *m;
  }

  static PodManifest pod(const std::string& file) {
    auto m = parsePodManifest(readAppcData(file));
    SCHEMA_ASSERT_OK(m);
    return *m;
  }

  static void assertImageRoundTrip(const ImageManifest& m, JsonStyle style) {
    auto text = serializeImageManifest(m, style);
    SCHEMA_ASSERT_OK(text);
    auto again = parseImageManifest(*text);
    SCHEMA_ASSERT_OK(again);
    CPPUNIT_ASSERT(*again == m);
    // Serialising the re-parsed manifest is byte-identical: the output is canonical.
    auto text2 = serializeImageManifest(*again, style);
    SCHEMA_ASSERT_OK(text2);
    CPPUNIT_ASSERT_EQUAL(*text, *text2);
  }

  static void assertPodRoundTrip(const PodManifest& m, JsonStyle style) {
    auto text = serializePodManifest(m, style);
    SCHEMA_ASSERT_OK(text);
    auto again = parsePodManifest(*text);
    SCHEMA_ASSERT_OK(again);
    CPPUNIT_ASSERT(*again == m);
    auto text2 = serializePodManifest(*again, style);
    SCHEMA_ASSERT_OK(text2);
    CPPUNIT_ASSERT_EQUAL(*text, *text2);
  }

 public:
  void imageExampleHasEveryField() {
    ImageManifest m = image("image.json");
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/reduce-worker"), m.name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), m.label(kLabelVersion).value());
    SCHEMA_ASSERT_OK(checkRunnableOn(m.labels, OsArch{"linux", "amd64"}));
    SCHEMA_ASSERT_ERROR(checkRunnableOn(m.labels, OsArch{"linux", "aarch64"}), "linux/amd64");
    CPPUNIT_ASSERT(m.app.has_value());
    const App& app = *m.app;
    CPPUNIT_ASSERT_EQUAL(size_t(2), app.exec.size());
    CPPUNIT_ASSERT_EQUAL(std::string("100"), app.user);
    CPPUNIT_ASSERT_EQUAL(std::string("300"), app.group);
    CPPUNIT_ASSERT((app.supplementaryGids == std::vector<std::uint32_t>{400, 500}));
    CPPUNIT_ASSERT_EQUAL(size_t(2), app.eventHandlers.size());
    CPPUNIT_ASSERT_EQUAL(std::string("post-stop"), app.eventHandlers[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string("/opt/work"), app.workingDirectory);
    CPPUNIT_ASSERT_EQUAL(std::string("true"),
                         findValue(app.environment, "REDUCE_WORKER_DEBUG").value());
    const Isolator* cpu = findIsolator(app.isolators, isolator::kResourceCpu);
    CPPUNIT_ASSERT(cpu && cpu->as<ResourceValue>());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(500), cpu->as<ResourceValue>()->limit->milliValue().value());
    const Isolator* mem = findIsolator(app.isolators, isolator::kResourceMemory);
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2000000000),
                         mem->as<ResourceValue>()->limit->value().value());
    const Isolator* caps = findIsolator(app.isolators, isolator::kCapabilitiesRetainSet);
    CPPUNIT_ASSERT_EQUAL(size_t(2), caps->as<CapabilitySet>()->set.size());
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/work"), app.mountPoints.at(0).path);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(4000), app.ports.at(0).port);
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), app.ports.at(0).count);
    CPPUNIT_ASSERT(app.ports.at(0).socketActivated);
    CPPUNIT_ASSERT_EQUAL(size_t(1), m.dependencies.size());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(23141), m.dependencies[0].size);
    CPPUNIT_ASSERT_EQUAL(size_t(5), m.pathWhitelist.size());
    CPPUNIT_ASSERT_EQUAL(std::string("https://example.com"), m.annotation("homepage").value());
  }

  void imageExamplesRoundTrip() {
    for (const char* file :
         {"image.json", "ace_image_manifest_main.json", "ace_image_manifest_sidekick.json",
          "readme_my_app.json", "rkt_stage1_manifest.json"}) {
      ImageManifest m = image(file);
      assertImageRoundTrip(m, JsonStyle::Compact);
    }
    ImageManifest stage1 = image("rkt_stage1_manifest.json");
    CPPUNIT_ASSERT(!stage1.app);
    CPPUNIT_ASSERT_EQUAL(std::string("/ex/run"),
                         stage1.annotation("coreos.com/rkt/stage1/run").value());
    SCHEMA_ASSERT_OK(checkRktOsArch(stage1.labels));
  }

  void podRuntimeExample() {
    PodManifest m = pod("pod_runtime.json");
    CPPUNIT_ASSERT_EQUAL(size_t(3), m.apps.size());
    SCHEMA_ASSERT_OK(checkPodReified(m));
    const RuntimeApp* backup = m.findApp("backup");
    CPPUNIT_ASSERT(backup);
    CPPUNIT_ASSERT(backup->readOnlyRootFs);
    CPPUNIT_ASSERT_EQUAL(std::string("baz"), findValue(backup->annotations, "foo").value());
    CPPUNIT_ASSERT(!m.findApp("register")->app);
    const Volume* work = m.findVolume("work");
    CPPUNIT_ASSERT(work && work->readOnly.value() && work->recursive.value());
    const Volume* scratch = m.findVolume("scratch");
    CPPUNIT_ASSERT_EQUAL(std::string("0700"), scratch->mode.value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(100), scratch->uid.value());
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), m.ports.at(0).hostIp);
    CPPUNIT_ASSERT(findIsolator(m.isolators, isolator::kResourceMemory));
  }

  void podTemplateExample() {
    PodManifest m = pod("pod_template.json");
    CPPUNIT_ASSERT_EQUAL(std::string("0.3.0"), m.acVersion);
    CPPUNIT_ASSERT(m.apps[0].image.id.empty());
    CPPUNIT_ASSERT(m.volumes.empty());
    SCHEMA_ASSERT_ERROR(checkPodReified(m), "`apps[0].image.id`");
  }

  void podExamplesRoundTrip() {
    for (const char* file : {"pod_runtime.json", "pod_template.json"})
      assertPodRoundTrip(pod(file), JsonStyle::Compact);
  }

  void prettyOutputRoundTrips() {
    assertImageRoundTrip(image("image.json"), JsonStyle::Pretty);
    assertPodRoundTrip(pod("pod_runtime.json"), JsonStyle::Pretty);
    auto text = serializeImageManifest(image("readme_my_app.json"), JsonStyle::Pretty);
    SCHEMA_ASSERT_OK(text);
    const std::string head = "{\n\t\"acKind\": \"ImageManifest\",\n\t\"acVersion\": \"0.8.11\",\n";
    CPPUNIT_ASSERT_EQUAL(head, text->substr(0, head.size()));
    CPPUNIT_ASSERT_EQUAL(std::string("\t}\n}"), text->substr(text->size() - 4));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppcExamplesTest);
