// Go's time.ParseDuration / Duration.String, value for value.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/core/util/duration.hpp"

using rkt::util::formatGoDuration;
using rkt::util::parseGoDuration;
using std::chrono::nanoseconds;

class GoDurationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(GoDurationTest);
  CPPUNIT_TEST(parsesUnitsAndSums);
  CPPUNIT_TEST(parsesFractionsAndSigns);
  CPPUNIT_TEST(rejectsWithGoMessages);
  CPPUNIT_TEST(formatsLikeGo);
  CPPUNIT_TEST(roundTrips);
  CPPUNIT_TEST_SUITE_END();

  static long long ns(const char* s) {
    auto r = parseGoDuration(s);
    CPPUNIT_ASSERT_MESSAGE(std::string("parse failed: ") + s, r.ok());
    return r->count();
  }
  static std::string err(const char* s) {
    auto r = parseGoDuration(s);
    CPPUNIT_ASSERT_MESSAGE(std::string("parse succeeded: ") + s, !r.ok());
    return r.error().message;
  }

 public:
  void parsesUnitsAndSums() {
    CPPUNIT_ASSERT_EQUAL(0LL, ns("0"));
    CPPUNIT_ASSERT_EQUAL(0LL, ns("0s"));
    CPPUNIT_ASSERT_EQUAL(1LL, ns("1ns"));
    CPPUNIT_ASSERT_EQUAL(1000LL, ns("1us"));
    CPPUNIT_ASSERT_EQUAL(1000LL, ns("1\xc2\xb5s"));
    CPPUNIT_ASSERT_EQUAL(1000000LL, ns("1ms"));
    CPPUNIT_ASSERT_EQUAL(86400LL * 1000000000LL, ns("24h0m0s"));
    CPPUNIT_ASSERT_EQUAL(5400LL * 1000000000LL, ns("1h30m"));
    CPPUNIT_ASSERT_EQUAL(1800LL * 1000000000LL, ns("30m0s"));
  }

  void parsesFractionsAndSigns() {
    CPPUNIT_ASSERT_EQUAL(1500000000LL, ns("1.5s"));
    CPPUNIT_ASSERT_EQUAL(500000000LL, ns(".5s"));
    CPPUNIT_ASSERT_EQUAL(1000000000LL, ns("1.s"));
    CPPUNIT_ASSERT_EQUAL(-90LL * 1000000000LL, ns("-1m30s"));
    CPPUNIT_ASSERT_EQUAL(2LL * 3600 * 1000000000LL, ns("+2h"));
  }

  void rejectsWithGoMessages() {
    CPPUNIT_ASSERT_EQUAL(std::string("time: invalid duration \"\""), err(""));
    CPPUNIT_ASSERT_EQUAL(std::string("time: invalid duration \"forever\""), err("forever"));
    CPPUNIT_ASSERT_EQUAL(std::string("time: missing unit in duration \"10\""), err("10"));
    CPPUNIT_ASSERT_EQUAL(std::string("time: unknown unit \"d\" in duration \"1d\""), err("1d"));
    CPPUNIT_ASSERT_EQUAL(std::string("time: invalid duration \".s\""), err(".s"));
    CPPUNIT_ASSERT_EQUAL(std::string("time: invalid duration \"-\""), err("-"));
    CPPUNIT_ASSERT_EQUAL(std::string("time: invalid duration \"9999999999h\""), err("9999999999h"));
  }

  void formatsLikeGo() {
    CPPUNIT_ASSERT_EQUAL(std::string("0s"), formatGoDuration(nanoseconds(0)));
    CPPUNIT_ASSERT_EQUAL(std::string("24h0m0s"),
                         formatGoDuration(nanoseconds(86400LL * 1000000000LL)));
    CPPUNIT_ASSERT_EQUAL(std::string("1m30s"), formatGoDuration(nanoseconds(90LL * 1000000000LL)));
    CPPUNIT_ASSERT_EQUAL(std::string("1.5s"), formatGoDuration(nanoseconds(1500000000LL)));
    CPPUNIT_ASSERT_EQUAL(std::string("300ms"), formatGoDuration(nanoseconds(300000000LL)));
    CPPUNIT_ASSERT_EQUAL(std::string("1.2\xc2\xb5s"), formatGoDuration(nanoseconds(1200)));
    CPPUNIT_ASSERT_EQUAL(std::string("5ns"), formatGoDuration(nanoseconds(5)));
    CPPUNIT_ASSERT_EQUAL(std::string("-2m0.5s"), formatGoDuration(nanoseconds(-120500000000LL)));
  }

  void roundTrips() {
    for (const char* s : {"24h0m0s", "30m0s", "1h1m1.001s", "999ms", "3\xc2\xb5s"}) {
      CPPUNIT_ASSERT_EQUAL(std::string(s), formatGoDuration(nanoseconds(ns(s))));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(GoDurationTest);
