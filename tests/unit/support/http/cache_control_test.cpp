// support/http: rkt's Cache-Control max-age rules and the freshness check of stored copies.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/support/http/cache_control.hpp"

using rkt::http::maxAgeFrom;
using rkt::http::stillFresh;

class HttpCacheControlTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HttpCacheControlTest);
  CPPUNIT_TEST(maxAgeIsParsed);
  CPPUNIT_TEST(noCacheAndNoStoreWin);
  CPPUNIT_TEST(malformedMaxAgeIsZero);
  CPPUNIT_TEST(freshnessHonoursMaxAge);
  CPPUNIT_TEST_SUITE_END();

  static constexpr int64_t kSecond = 1000000000;

 public:
  void maxAgeIsParsed() {
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, maxAgeFrom(""));
    CPPUNIT_ASSERT_EQUAL(int64_t{60}, maxAgeFrom("max-age=60"));
    CPPUNIT_ASSERT_EQUAL(int64_t{3600}, maxAgeFrom("public, max-age=3600"));
    CPPUNIT_ASSERT_EQUAL(int64_t{5}, maxAgeFrom(" private ,MAX-AGE = 5"));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, maxAgeFrom("max-age=0"));
    CPPUNIT_ASSERT_EQUAL(int64_t{7}, maxAgeFrom("max-age=3, max-age=7"));  // last one counts
  }

  void noCacheAndNoStoreWin() {
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, maxAgeFrom("no-cache"));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, maxAgeFrom("max-age=60, no-store"));
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, maxAgeFrom("No-Cache, max-age=60"));
  }

  void malformedMaxAgeIsZero() {
    for (const char* h : {"max-age", "max-age=", "max-age=abc", "max-age=-5", "max-age=007",
                          "max-age=1x", "max-age=99999999999999999999"}) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(h, int64_t{0}, maxAgeFrom(h));
    }
  }

  void freshnessHonoursMaxAge() {
    const int64_t t0 = 1700000000 * kSecond;
    CPPUNIT_ASSERT(stillFresh(t0, 60, t0));
    CPPUNIT_ASSERT(stillFresh(t0, 60, t0 + 59 * kSecond + kSecond / 2));
    CPPUNIT_ASSERT(!stillFresh(t0, 60, t0 + 60 * kSecond));
    CPPUNIT_ASSERT(!stillFresh(t0, 0, t0));                 // max-age 0: always revalidate
    CPPUNIT_ASSERT(!stillFresh(0, 60, t0));                 // never downloaded
    CPPUNIT_ASSERT(!stillFresh(t0, 60, t0 - 5 * kSecond));  // a download time in the future
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HttpCacheControlTest);
