// Docker references with rkt's defaults, WWW-Authenticate challenges and platform selection.
#include <cppunit/extensions/HelperMacros.h>

#include "docker_reference.hpp"
#include "manifest.hpp"
#include "registry_session.hpp"
#include "rkt/sdk/error.hpp"

using namespace rkt;
using namespace rkt::dockerfetcher;

class DockerReferenceTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DockerReferenceTest);
  CPPUNIT_TEST(defaults);
  CPPUNIT_TEST(registries);
  CPPUNIT_TEST(digests);
  CPPUNIT_TEST(invalid);
  CPPUNIT_TEST(challenges);
  CPPUNIT_TEST(platforms);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaults() {
    DockerReference r = parseDockerReference("docker://busybox");
    CPPUNIT_ASSERT_EQUAL(std::string("registry-1.docker.io"), r.registry);
    CPPUNIT_ASSERT_EQUAL(std::string("library/busybox"), r.repository);
    CPPUNIT_ASSERT_EQUAL(std::string("latest"), r.tag);
    CPPUNIT_ASSERT_EQUAL(std::string("registry-1.docker.io/library/busybox:latest"), r.toString());
    r = parseDockerReference("docker:user/app:1.2");
    CPPUNIT_ASSERT_EQUAL(std::string("user/app"), r.repository);
    CPPUNIT_ASSERT_EQUAL(std::string("1.2"), r.tag);
  }

  void registries() {
    DockerReference r = parseDockerReference("docker://127.0.0.1:5000/a/b:t");
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:5000"), r.registry);
    CPPUNIT_ASSERT_EQUAL(std::string("a/b"), r.repository);
    r = parseDockerReference("docker://quay.io/coreos/etcd");
    CPPUNIT_ASSERT_EQUAL(std::string("quay.io"), r.registry);
    CPPUNIT_ASSERT_EQUAL(std::string("latest"), r.tag);
    r = parseDockerReference("docker://localhost/x");
    CPPUNIT_ASSERT_EQUAL(std::string("localhost"), r.registry);
    CPPUNIT_ASSERT_EQUAL(std::string("x"), r.repository);  // library/ is Docker Hub's only
    r = parseDockerReference("docker://docker.io/nginx");
    CPPUNIT_ASSERT_EQUAL(std::string("registry-1.docker.io"), r.registry);
    CPPUNIT_ASSERT_EQUAL(std::string("library/nginx"), r.repository);
    CPPUNIT_ASSERT(sameRegistry("index.docker.io", "registry-1.docker.io"));
  }

  void digests() {
    const std::string d = "sha256:" + std::string(64, 'a');
    DockerReference r = parseDockerReference("docker://busybox@" + d);
    CPPUNIT_ASSERT_EQUAL(d, r.digest);
    CPPUNIT_ASSERT_EQUAL(d, r.manifestReference());
    r = parseDockerReference("docker://busybox:1@" + d);
    CPPUNIT_ASSERT_EQUAL(d, r.manifestReference());
  }

  void invalid() {
    for (const char* bad : {"docker://", "docker://Busybox", "docker://busybox@sha256:12",
                            "docker://busybox:bad/tag", "docker://a//b", "docker://x:"}) {
      CPPUNIT_ASSERT_THROW_MESSAGE(bad, parseDockerReference(bad), sdk::Error);
    }
  }

  void challenges() {
    auto c = parseChallenge(
        "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
        "scope=\"repository:a/b:pull\"");
    CPPUNIT_ASSERT_EQUAL(std::string("bearer"), c[""]);
    CPPUNIT_ASSERT_EQUAL(std::string("https://auth.example/token"), c["realm"]);
    CPPUNIT_ASSERT_EQUAL(std::string("registry.example"), c["service"]);
    CPPUNIT_ASSERT_EQUAL(std::string("repository:a/b:pull"), c["scope"]);
    c = parseChallenge("Basic realm=\"Registry Realm\"");
    CPPUNIT_ASSERT_EQUAL(std::string("basic"), c[""]);
    CPPUNIT_ASSERT_EQUAL(std::string("Registry Realm"), c["realm"]);
  }

  void platforms() {
    const std::string d1 = "sha256:" + std::string(64, '1');
    const std::string d2 = "sha256:" + std::string(64, '2');
    const std::string index =
        "{\"schemaVersion\":2,\"manifests\":["
        "{\"mediaType\":\"x\",\"digest\":\"" +
        d1 +
        "\",\"size\":1,"
        "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}},"
        "{\"mediaType\":\"x\",\"digest\":\"" +
        d2 +
        "\",\"size\":2,"
        "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}}]}";
    CPPUNIT_ASSERT_EQUAL(d2, selectPlatform(index, {"linux", "arm", "v7"}, "x").digest);
    CPPUNIT_ASSERT_EQUAL(d1, selectPlatform(index, {"linux", "arm", "v6"}, "x").digest);
    try {
      selectPlatform(index, {"linux", "amd64", ""}, "x");
      CPPUNIT_FAIL("no amd64 image");
    } catch (const sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("no image for linux/amd64 in `x` (it has: linux/arm/v6, "
                                       "linux/arm/v7)"),
                           std::string(e.what()));
    }
    CPPUNIT_ASSERT(manifestKind("", index) == ManifestKind::kIndex);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerReferenceTest);
