// Stage1 selection rules (core/stage1/selection.hpp): which flavor a stage1 image name stands
// for, trusted locations, flag conflicts.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>

#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/stage1/stage1_client.hpp"

using namespace rkt;
using namespace rkt::stage1;

class Stage1SelectionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(Stage1SelectionTest);
  CPPUNIT_TEST(builtinNames);
  CPPUNIT_TEST(otherNamesRunWithTheImageFlavor);
  CPPUNIT_TEST(trustedLocations);
  CPPUNIT_TEST(flagConflicts);
  CPPUNIT_TEST(notInstalled);
  CPPUNIT_TEST_SUITE_END();

 public:
  void builtinNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), *builtinFlavorForName("coreos.com/rkt/stage1-fly"));
    CPPUNIT_ASSERT_EQUAL(std::string("nspawn"),
                         *builtinFlavorForName("coreos.com/rkt/stage1-coreos:1.30.0"));
    CPPUNIT_ASSERT_EQUAL(std::string("nspawn"),
                         *builtinFlavorForName("coreos.com/rkt/stage1-host"));
    CPPUNIT_ASSERT_EQUAL(std::string("nspawn"),
                         *builtinFlavorForName("coreos.com/rkt/stage1-src-v231"));
    CPPUNIT_ASSERT_EQUAL(std::string("qemu-kvm"),
                         *builtinFlavorForName("coreos.com/rkt/stage1-kvm"));
    CPPUNIT_ASSERT_EQUAL(std::string("qemu-kvm"),
                         *builtinFlavorForName("coreos.com/rkt/stage1-kvm-qemu"));
    CPPUNIT_ASSERT_EQUAL(std::string("lkvm"),
                         *builtinFlavorForName("coreos.com/rkt/stage1-kvm-lkvm"));
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), *builtinFlavorForName("fly"));
    CPPUNIT_ASSERT(!builtinFlavorForName("coreos.com/rkt/stage1-").has_value());
  }

  void otherNamesRunWithTheImageFlavor() {
    CPPUNIT_ASSERT(!builtinFlavorForName("example.com/stage1-fly").has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("aci"), flavorForImageName("example.com/stage1-fly:1"));
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), flavorForImageName("coreos.com/rkt/stage1-fly:1"));
  }

  void trustedLocations() {
    CPPUNIT_ASSERT(
        isTrustedLocation("/usr/lib/rkt/stage1-images/x.aci", "/usr/lib/rkt/stage1-images"));
    CPPUNIT_ASSERT(
        isTrustedLocation("/usr/lib/rkt/stage1-images/x.aci", "/usr/lib/rkt/stage1-images/"));
    CPPUNIT_ASSERT(
        !isTrustedLocation("/usr/lib/rkt/stage1-images/../x.aci", "/usr/lib/rkt/stage1-images"));
    CPPUNIT_ASSERT(!isTrustedLocation("/usr/lib/rkt/stage1-images", "/usr/lib/rkt/stage1-images"));
    CPPUNIT_ASSERT(
        !isTrustedLocation("/usr/lib/rkt/stage1-imagesX/x.aci", "/usr/lib/rkt/stage1-images"));
    CPPUNIT_ASSERT(!isTrustedLocation("https://example.com/x.aci", "/usr/lib/rkt/stage1-images"));
  }

  void flagConflicts() {
    Stage1Flags f;
    CPPUNIT_ASSERT(f.set(Stage1Flags::Kind::kPath, "/a").ok());
    CPPUNIT_ASSERT_EQUAL(std::string("--stage1-path already used"),
                         f.set(Stage1Flags::Kind::kPath, "/b").error().message);
    CPPUNIT_ASSERT_EQUAL(
        std::string("flags --stage1-name and --stage1-path are mutually exclusive"),
        f.set(Stage1Flags::Kind::kName, "x").error().message);
  }

  void notInstalled() {
    CPPUNIT_ASSERT_EQUAL(std::string("stage1 flavor `qemu` is not installed (installed: fly, kvm)"),
                         notInstalledError("qemu", {"fly", "kvm"}).message);
    CPPUNIT_ASSERT_EQUAL(
        std::string("stage1 flavor `fly` is not installed (no stage1 plugin is installed)"),
        notInstalledError("fly", {}).message);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Stage1SelectionTest);
