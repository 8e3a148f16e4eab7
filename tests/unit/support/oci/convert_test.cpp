// support/oci convertImage: docker2aci's rules (rkt-notes §4.8) for the app, labels and
// annotations of a converted image.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "rkt/support/oci/convert.hpp"

using rkt::oci::ImageNaming;
using rkt::oci::ResolvedImage;

namespace {

rkt::Result<rkt::schema::ImageManifest> convert(const std::string& configInner,
                                                const std::string& arch = "amd64") {
  ResolvedImage image;
  image.configJson =
      R"({"os":"linux","architecture":")" + arch + R"(","config":)" + configInner + "}";
  image.configDigest = "sha256:" + std::string(64, 'c');
  image.manifest.digest = "sha256:" + std::string(64, 'm');
  ImageNaming naming{"example.com/app", "1.0", "oci:/x:app:1.0", "", ""};
  return rkt::oci::convertImage(image, naming);
}

}  // namespace

class OciConvertTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OciConvertTest);
  CPPUNIT_TEST(userAndGroup);
  CPPUNIT_TEST(execEnvironmentAndAnnotations);
  CPPUNIT_TEST(volumesAndPorts);
  CPPUNIT_TEST(refusesUnknownPlatformAndBadPorts);
  CPPUNIT_TEST_SUITE_END();

 public:
  void userAndGroup() {
    auto none = convert("{}");
    CPPUNIT_ASSERT(none);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), none->app->user);
    CPPUNIT_ASSERT_EQUAL(std::string("0"), none->app->group);
    auto user = convert(R"({"User":"daemon"})");
    CPPUNIT_ASSERT_EQUAL(std::string("daemon"), user->app->user);
    CPPUNIT_ASSERT_EQUAL(std::string("daemon"), user->app->group);  // rkt's stage1 falls back
    auto both = convert(R"({"User":"1000:50"})");
    CPPUNIT_ASSERT_EQUAL(std::string("1000"), both->app->user);
    CPPUNIT_ASSERT_EQUAL(std::string("50"), both->app->group);
  }

  void execEnvironmentAndAnnotations() {
    auto m = convert(R"({"Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],
                         "Env":["A=1","NOVALUE","B=x=y"],"WorkingDir":"/w",
                         "Labels":{"k":"v"}})");
    CPPUNIT_ASSERT_MESSAGE(m ? "" : m.error().message, m);
    CPPUNIT_ASSERT((m->app->exec == std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
    CPPUNIT_ASSERT_EQUAL(size_t(2), m->app->environment.size());
    CPPUNIT_ASSERT_EQUAL(std::string("x=y"), m->app->environment[1].value);
    CPPUNIT_ASSERT_EQUAL(std::string("/w"), m->app->workingDirectory);
    CPPUNIT_ASSERT_EQUAL(std::string("v"), m->app->userLabels.at("k"));
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app"), m->name);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), *m->label("version"));
    CPPUNIT_ASSERT_EQUAL(std::string("amd64"), *m->label("arch"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(["/bin/sh","-c"])"),
                         *m->annotation("appc.io/docker/entrypoint"));
    CPPUNIT_ASSERT_EQUAL(std::string(R"(["echo hi"])"), *m->annotation("appc.io/docker/cmd"));
    // The stage1s apply rkt's docker semantics to images with a repository annotation.
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/app"),
                         *m->annotation("appc.io/docker/repository"));
    CPPUNIT_ASSERT_EQUAL("sha256:" + std::string(64, 'm'),
                         *m->annotation("appc.io/docker/manifesthash"));
    auto arm = convert("{}", "arm64");
    CPPUNIT_ASSERT_EQUAL(std::string("aarch64"), *arm->label("arch"));
  }

  void volumesAndPorts() {
    auto m = convert(R"({"Volumes":{"/var/lib/x":{},"/var/lib-x":{},"/data/":{}},
                         "ExposedPorts":{"8080/tcp":{},"53/udp":{},"9000":{}}})");
    CPPUNIT_ASSERT_MESSAGE(m ? "" : m.error().message, m);
    const auto& mps = m->app->mountPoints;
    CPPUNIT_ASSERT_EQUAL(size_t(3), mps.size());
    CPPUNIT_ASSERT_EQUAL(std::string("volume-data"), mps[0].name);
    CPPUNIT_ASSERT_EQUAL(std::string("volume-var-lib-x"), mps[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string("volume-var-lib-x-1"), mps[2].name);  // duplicates: -N
    const auto& ports = m->app->ports;
    CPPUNIT_ASSERT_EQUAL(size_t(3), ports.size());
    CPPUNIT_ASSERT_EQUAL(std::string("53-udp"), ports[0].name);
    CPPUNIT_ASSERT_EQUAL(std::string("udp"), ports[0].protocol);
    CPPUNIT_ASSERT_EQUAL(std::string("8080-tcp"), ports[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string("9000-tcp"), ports[2].name);  // tcp by default
    CPPUNIT_ASSERT_EQUAL(9000u, ports[2].port);
  }

  void refusesUnknownPlatformAndBadPorts() {
    auto mips = convert("{}", "mips");
    CPPUNIT_ASSERT(!mips);
    CPPUNIT_ASSERT(mips.error().message.find("cannot convert image `oci:/x:app:1.0`") == 0);
    auto port = convert(R"({"ExposedPorts":{"70000/tcp":{}}})");
    CPPUNIT_ASSERT(!port);
    CPPUNIT_ASSERT(port.error().message.find("invalid exposed port `70000/tcp`") !=
                   std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OciConvertTest);
