// os/arch label rules and platform name mapping.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "rkt/schema/os_arch.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class OsArchTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OsArchTest);
  CPPUNIT_TEST(appcTable);
  CPPUNIT_TEST(rktPrepareRule);
  CPPUNIT_TEST(runnableOn);
  CPPUNIT_TEST(goNames);
  CPPUNIT_TEST(machineNames);
  CPPUNIT_TEST(host);
  CPPUNIT_TEST_SUITE_END();

 public:
  void appcTable() {
    const auto& t = appcOsArchTable();
    CPPUNIT_ASSERT_EQUAL(size_t(3), t.size());
    CPPUNIT_ASSERT_EQUAL(size_t(10), t.at("linux").size());
    for (const char* arch : {"amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b",
                             "ppc64", "ppc64le", "s390x"})
      SCHEMA_ASSERT_OK(validateOsArchLabels({{"os", "linux"}, {"arch", arch}}));
    SCHEMA_ASSERT_ERROR(validateOsArchLabels({{"os", "linux"}, {"arch", "x86_64"}}),
                        "bad arch \"x86_64\" for linux (must be one of: [amd64 i386 aarch64");
    SCHEMA_ASSERT_ERROR(validateOsArchLabels({{"os", "Linux"}}), "bad os \"Linux\"");
    SCHEMA_ASSERT_OK(validateOsArchLabels({}));
    SCHEMA_ASSERT_OK(validateOsArchLabels({{"arch", "pdp11"}}));
  }

  void rktPrepareRule() {
    SCHEMA_ASSERT_OK(checkRktOsArch({{"os", "linux"}, {"arch", "amd64"}}));
    SCHEMA_ASSERT_OK(checkRktOsArch({{"arch", "ppc64le"}, {"os", "linux"}}));
    SCHEMA_ASSERT_ERROR(checkRktOsArch({{"arch", "amd64"}}),
                        "missing os label in the image manifest");
    SCHEMA_ASSERT_ERROR(checkRktOsArch({{"os", "linux"}}),
                        "missing arch label in the image manifest");
    SCHEMA_ASSERT_ERROR(checkRktOsArch({{"os", "linux"}, {"arch", "s390x"}}),
                        "bad arch \"s390x\" for linux");
    SCHEMA_ASSERT_ERROR(checkRktOsArch({{"os", "freebsd"}, {"arch", "amd64"}}),
                        "bad os \"freebsd\" (must be one of: [linux])");
  }

  void runnableOn() {
    const OsArch host{"linux", "amd64"};
    CPPUNIT_ASSERT_EQUAL(std::string("linux/amd64"), host.toString());
    SCHEMA_ASSERT_OK(checkRunnableOn({}, host));
    SCHEMA_ASSERT_OK(checkRunnableOn({{"os", "linux"}}, host));
    SCHEMA_ASSERT_OK(checkRunnableOn({{"os", "linux"}, {"arch", "amd64"}, {"version", "1"}}, host));
    SCHEMA_ASSERT_OK(checkRunnableOn({{"arch", "aarch64"}}, host));  // arch without os: independent
    SCHEMA_ASSERT_ERROR(checkRunnableOn({{"os", "linux"}, {"arch", "aarch64"}}, host),
                        "image is for linux/aarch64, not linux/amd64");
    SCHEMA_ASSERT_ERROR(checkRunnableOn({{"os", "freebsd"}}, host),
                        "image is for freebsd/any, not linux/amd64");
  }

  void goNames() {
    const struct {
      const char *goOs, *goArch, *arm, *os, *arch;
    } cases[] = {
        {"linux", "amd64", "", "linux", "amd64"},    {"linux", "386", "", "linux", "i386"},
        {"linux", "arm64", "", "linux", "aarch64"},  {"linux", "arm", "", "linux", "armv6l"},
        {"linux", "arm", "6", "linux", "armv6l"},    {"linux", "arm", "7", "linux", "armv7l"},
        {"linux", "ppc64", "", "linux", "ppc64"},    {"linux", "ppc64le", "", "linux", "ppc64le"},
        {"linux", "s390x", "", "linux", "s390x"},    {"freebsd", "amd64", "", "freebsd", "amd64"},
        {"freebsd", "386", "", "freebsd", "i386"},   {"freebsd", "arm", "7", "freebsd", "arm"},
        {"darwin", "amd64", "", "darwin", "x86_64"}, {"darwin", "386", "", "darwin", "i386"},
    };
    for (const auto& c : cases) {
      auto r = appcOsArchFromGo(c.goOs, c.goArch, c.arm);
      SCHEMA_ASSERT_OK(r);
      CPPUNIT_ASSERT_EQUAL(std::string(c.os) + "/" + c.arch, r->toString());
      SCHEMA_ASSERT_OK(validateOsArchLabels({{"os", r->os}, {"arch", r->arch}}));
      // And back: Go names whose appc names map to the same pair.
      auto back = goOsArchFromAppc(c.os, c.arch);
      SCHEMA_ASSERT_OK(back);
      CPPUNIT_ASSERT(appcOsArchFromGo(back->os, back->arch, back->armVariant).value() == *r);
    }
    CPPUNIT_ASSERT((goOsArchFromAppc("linux", "armv7l").value() == GoOsArch{"linux", "arm", "7"}));
    CPPUNIT_ASSERT(
        (goOsArchFromAppc("linux", "aarch64").value() == GoOsArch{"linux", "arm64", ""}));
    CPPUNIT_ASSERT_EQUAL(std::string("armv7l"),
                         appcOsArchFromGo("linux", "arm", "v7").value().arch);
    SCHEMA_ASSERT_ERROR(appcOsArchFromGo("linux", "mips"), "unknown platform `linux/mips`");
    SCHEMA_ASSERT_ERROR(appcOsArchFromGo("linux", "arm", "5"), "unknown platform `linux/arm/v5`");
    SCHEMA_ASSERT_ERROR(goOsArchFromAppc("linux", "armv7b"),
                        "unknown appc platform `linux/armv7b`");
  }

  void machineNames() {
    const std::pair<const char*, const char*> cases[] = {
        {"x86_64", "amd64"},    {"i386", "i386"},       {"i686", "i386"},
        {"aarch64", "aarch64"}, {"arm64", "aarch64"},   {"armv7l", "armv7l"},
        {"armv6l", "armv6l"},   {"ppc64le", "ppc64le"}, {"s390x", "s390x"}};
    for (const auto& [machine, arch] : cases)
      CPPUNIT_ASSERT_EQUAL(std::string(arch), appcArchFromMachine(machine).value());
    SCHEMA_ASSERT_ERROR(appcArchFromMachine("sparc64"), "unknown machine architecture `sparc64`");
    SCHEMA_ASSERT_ERROR(appcArchFromMachine("i786"), "unknown machine architecture");
  }

  void host() {
    auto h = hostOsArch();
    SCHEMA_ASSERT_OK(h);
    CPPUNIT_ASSERT_EQUAL(std::string("linux"), h->os);
    SCHEMA_ASSERT_OK(validateOsArchLabels({{"os", h->os}, {"arch", h->arch}}));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OsArchTest);
