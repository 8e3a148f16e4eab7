// Stage1 flavor selection from flags, stage1.d and the build default (core/stage1/selection.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>

#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/stage1/stage1_client.hpp"

using namespace rkt;
using namespace rkt::stage1;

class Stage1SelectionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(Stage1SelectionTest);
  CPPUNIT_TEST(fromNames);
  CPPUNIT_TEST(fromLocations);
  CPPUNIT_TEST(precedence);
  CPPUNIT_TEST(flagConflicts);
  CPPUNIT_TEST(notInstalled);
  CPPUNIT_TEST_SUITE_END();

 public:
  void fromNames() {
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), *flavorFromImageName("coreos.com/rkt/stage1-fly"));
    CPPUNIT_ASSERT_EQUAL(std::string("coreos"),
                         *flavorFromImageName("coreos.com/rkt/stage1-coreos:1.30.0"));
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), *flavorFromImageName("fly"));
    CPPUNIT_ASSERT(!flavorFromImageName("coreos.com/rkt/stage1-").ok());
  }

  void fromLocations() {
    CPPUNIT_ASSERT_EQUAL(std::string("fly"),
                         *flavorFromLocation("/usr/lib/rkt/stage1-images/stage1-fly.aci"));
    CPPUNIT_ASSERT_EQUAL(std::string("kvm"),
                         *flavorFromLocation("https://example.com/x/stage1-kvm.aci?x=1"));
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), *flavorFromLocation("stage1-fly.so"));
  }

  void precedence() {
    Stage1Flags none;
    config::Stage1 cfg;
    CPPUNIT_ASSERT_EQUAL(std::string("dflt"), *selectFlavor(none, cfg, "dflt"));
    CPPUNIT_ASSERT_EQUAL(std::string(defaultFlavor()), *selectFlavor(none, cfg));
    cfg.location = "/opt/stage1-loc.aci";
    CPPUNIT_ASSERT_EQUAL(std::string("loc"), *selectFlavor(none, cfg, "dflt"));
    cfg.name = "example.com/stage1-named";
    cfg.version = "1";
    CPPUNIT_ASSERT_EQUAL(std::string("named"), *selectFlavor(none, cfg, "dflt"));
    Stage1Flags flag;
    CPPUNIT_ASSERT(flag.set(Stage1Flags::Kind::kName, "coreos.com/rkt/stage1-fly").ok());
    CPPUNIT_ASSERT_EQUAL(std::string("fly"), *selectFlavor(flag, cfg, "dflt"));
    Stage1Flags hash;
    CPPUNIT_ASSERT(hash.set(Stage1Flags::Kind::kHash, "sha512-aa").ok());
    CPPUNIT_ASSERT(!selectFlavor(hash, cfg).ok());
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
