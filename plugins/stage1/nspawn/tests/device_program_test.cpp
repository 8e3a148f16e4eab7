// The device rules the v2 device program (supervisor/device_program.hpp) is assembled from:
// `devices.allow` lines as the v1 devices cgroup takes them, wildcards and access letters.
// Loading and attaching the program: tests/vm/test_isolators_paths.sh.
#include <linux/bpf.h>

#include <cppunit/extensions/HelperMacros.h>

#include "device_program.hpp"
#include "rkt/sdk/error.hpp"

using rkt::nspawn::DeviceRule;
using rkt::nspawn::parseDeviceRule;

class NspawnDeviceProgramTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NspawnDeviceProgramTest);
  CPPUNIT_TEST(parsesRules);
  CPPUNIT_TEST(wildcards);
  CPPUNIT_TEST(badRulesAreErrors);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesRules() {
    const DeviceRule null = parseDeviceRule("c 1:3 rwm");
    CPPUNIT_ASSERT_EQUAL('c', null.type);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, null.major);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, null.minor);
    CPPUNIT_ASSERT_EQUAL(unsigned{BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD},
                         null.access);
    const DeviceRule disk = parseDeviceRule("b 8:0 r");
    CPPUNIT_ASSERT_EQUAL('b', disk.type);
    CPPUNIT_ASSERT_EQUAL(unsigned{BPF_DEVCG_ACC_READ}, disk.access);
  }

  void wildcards() {
    const DeviceRule pts = parseDeviceRule("c 136:* rw");
    CPPUNIT_ASSERT_EQUAL(std::int64_t{136}, pts.major);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{-1}, pts.minor);
    CPPUNIT_ASSERT_EQUAL(unsigned{BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE}, pts.access);
    const DeviceRule all = parseDeviceRule("a");
    CPPUNIT_ASSERT_EQUAL('a', all.type);
    CPPUNIT_ASSERT_EQUAL(std::int64_t{-1}, all.major);
  }

  void badRulesAreErrors() {
    for (const char* bad :
         {"", "x 1:3 rwm", "c 1:3 rwx", "c 13 rw", "c a:3 rw", "c 1:3 ", "c1:3"}) {
      CPPUNIT_ASSERT_THROW_MESSAGE(bad, parseDeviceRule(bad), rkt::sdk::Error);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NspawnDeviceProgramTest);
