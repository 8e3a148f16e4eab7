// rkt's humanized sizes and times (vendored go-humanize) and its long time layout.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <ctime>

#include "rkt/core/util/humanize.hpp"

using namespace std::chrono;
using rkt::util::formatLongTime;
using rkt::util::humanizeIBytes;
using rkt::util::humanizeTime;
using rkt::util::SystemTime;

class HumanizeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HumanizeTest);
  CPPUNIT_TEST(iecSizes);
  CPPUNIT_TEST(relativeTimes);
  CPPUNIT_TEST(futureTimes);
  CPPUNIT_TEST(longTimeLayout);
  CPPUNIT_TEST_SUITE_END();

  static std::string ago(seconds s) {
    const SystemTime now = SystemTime(seconds(1700000000));
    return humanizeTime(now - s, now);
  }

 public:
  void iecSizes() {
    CPPUNIT_ASSERT_EQUAL(std::string("0B"), humanizeIBytes(0));
    CPPUNIT_ASSERT_EQUAL(std::string("9B"), humanizeIBytes(9));
    CPPUNIT_ASSERT_EQUAL(std::string("10B"), humanizeIBytes(10));
    CPPUNIT_ASSERT_EQUAL(std::string("1023B"), humanizeIBytes(1023));
    CPPUNIT_ASSERT_EQUAL(std::string("1.0KiB"), humanizeIBytes(1024));
    CPPUNIT_ASSERT_EQUAL(std::string("1.5KiB"), humanizeIBytes(1536));
    CPPUNIT_ASSERT_EQUAL(std::string("12MiB"), humanizeIBytes(12 * 1024 * 1024 + 1000));
    CPPUNIT_ASSERT_EQUAL(std::string("143MiB"), humanizeIBytes(150000000));
    CPPUNIT_ASSERT_EQUAL(std::string("2.0GiB"), humanizeIBytes(2ull << 30));
  }

  void relativeTimes() {
    CPPUNIT_ASSERT_EQUAL(std::string("now"), ago(seconds(0)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 second ago"), ago(seconds(1)));
    CPPUNIT_ASSERT_EQUAL(std::string("59 seconds ago"), ago(seconds(59)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 minute ago"), ago(seconds(60)));
    CPPUNIT_ASSERT_EQUAL(std::string("2 minutes ago"), ago(seconds(150)));
    CPPUNIT_ASSERT_EQUAL(std::string("55 minutes ago"), ago(minutes(55)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 hour ago"), ago(minutes(61)));
    CPPUNIT_ASSERT_EQUAL(std::string("23 hours ago"), ago(hours(23)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 day ago"), ago(hours(25)));
    CPPUNIT_ASSERT_EQUAL(std::string("6 days ago"), ago(hours(24 * 6)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 week ago"), ago(hours(24 * 8)));
    CPPUNIT_ASSERT_EQUAL(std::string("3 weeks ago"), ago(hours(24 * 22)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 month ago"), ago(hours(24 * 31)));
    CPPUNIT_ASSERT_EQUAL(std::string("11 months ago"), ago(hours(24 * 359)));
    CPPUNIT_ASSERT_EQUAL(std::string("1 year ago"), ago(hours(24 * 400)));
    CPPUNIT_ASSERT_EQUAL(std::string("2 years ago"), ago(hours(24 * 600)));
    CPPUNIT_ASSERT_EQUAL(std::string("5 years ago"), ago(hours(24 * 360 * 5 + 24)));
    CPPUNIT_ASSERT_EQUAL(std::string("a long while ago"), ago(hours(24 * 360 * 40)));
  }

  void futureTimes() {
    const SystemTime now = SystemTime(seconds(1700000000));
    CPPUNIT_ASSERT_EQUAL(std::string("3 hours from now"),
                         humanizeTime(now + hours(3) + seconds(5), now));
  }

  void longTimeLayout() {
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    setenv("TZ", "UTC", 1);
    tzset();
    // 2015-12-14 11:30:33.652 UTC
    const SystemTime t = SystemTime(milliseconds(1450092633652LL));
    CPPUNIT_ASSERT_EQUAL(std::string("2015-12-14 11:30:33.652 +0000 UTC"), formatLongTime(t));
    CPPUNIT_ASSERT_EQUAL(std::string("2015-12-14 11:30:33.65 +0000 UTC"),
                         formatLongTime(SystemTime(milliseconds(1450092633650LL))));
    CPPUNIT_ASSERT_EQUAL(std::string("2015-12-14 11:30:33 +0000 UTC"),
                         formatLongTime(SystemTime(microseconds(1450092633000999LL))));
    setenv("TZ", "CET-1", 1);
    tzset();
    CPPUNIT_ASSERT_EQUAL(std::string("2015-12-14 12:30:33.652 +0100 CET"), formatLongTime(t));
    if (old) {
      setenv("TZ", saved.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HumanizeTest);
