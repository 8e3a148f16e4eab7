// Argument conventions shared by the pod commands: `--wait=BOOL|DURATION` values and the
// `--uuid-file` XOR UUID arguments rule.
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <fstream>

#include "pod_support.hpp"
#include "rkt/core/pod/wait.hpp"

using namespace rkt::cli;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

class PodSupportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodSupportTest);
  CPPUNIT_TEST(waitValues);
  CPPUNIT_TEST(waitTimeouts);
  CPPUNIT_TEST(uuidArguments);
  CPPUNIT_TEST_SUITE_END();

 public:
  void waitValues() {
    // rkt's parseDuration: "" and true words wait forever, false words not at all.
    for (const char* forever : {"", "true", "1", "t", "TRUE", "-1s"})
      CPPUNIT_ASSERT_MESSAGE(forever, parseWaitValue(forever)->count() < 0);
    for (const char* no : {"false", "0", "F", "0s"})
      CPPUNIT_ASSERT_EQUAL_MESSAGE(no, nanoseconds(0).count(), parseWaitValue(no)->count());
    CPPUNIT_ASSERT_EQUAL(nanoseconds(std::chrono::seconds(10)).count(),
                         parseWaitValue("10s")->count());
    CPPUNIT_ASSERT_EQUAL(nanoseconds(std::chrono::milliseconds(1500)).count(),
                         parseWaitValue("1.5s")->count());
    for (const char* bad : {"yes", "10", "1d", "s"}) {
      rkt::Result<nanoseconds> d = parseWaitValue(bad);
      CPPUNIT_ASSERT_MESSAGE(bad, !d.ok());
      CPPUNIT_ASSERT(d.error().message.find("time: ") == 0);
    }
  }

  void waitTimeouts() {
    CPPUNIT_ASSERT(waitTimeout(nanoseconds(-1)) == rkt::pod::kWaitForever);
    CPPUNIT_ASSERT_EQUAL(milliseconds(0).count(), waitTimeout(nanoseconds(0)).count());
    CPPUNIT_ASSERT_EQUAL(milliseconds(1).count(), waitTimeout(nanoseconds(1)).count());
    CPPUNIT_ASSERT_EQUAL(milliseconds(2000).count(), waitTimeout(std::chrono::seconds(2)).count());
  }

  void uuidArguments() {
    CPPUNIT_ASSERT(collectUuidArgs({}, "", false).outcome == UuidArgs::Usage);
    CPPUNIT_ASSERT(collectUuidArgs({"a"}, "/f", false).outcome == UuidArgs::Usage);
    CPPUNIT_ASSERT(collectUuidArgs({"a", "b"}, "", true).outcome == UuidArgs::Usage);
    UuidArgList many = collectUuidArgs({"a", "b"}, "", false);
    CPPUNIT_ASSERT(many.outcome == UuidArgs::Ok);
    CPPUNIT_ASSERT_EQUAL(size_t(2), many.uuids.size());

    const std::string file = "/tmp/rkt-pod-support-test-uuid";
    std::ofstream(file) << "  3f2a\n";
    UuidArgList fromFile = collectUuidArgs({}, file, true);
    CPPUNIT_ASSERT(fromFile.outcome == UuidArgs::Ok);
    CPPUNIT_ASSERT_EQUAL(std::string("3f2a"), fromFile.uuids.at(0));
    ::unlink(file.c_str());
    UuidArgList missing = collectUuidArgs({}, file, false);
    CPPUNIT_ASSERT(missing.outcome == UuidArgs::UnreadableFile);
    CPPUNIT_ASSERT(missing.uuids.empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodSupportTest);
