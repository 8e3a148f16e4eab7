// SemVer 2.0.0 parsing and precedence, and the acVersion rule.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/semver.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class SemVerTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SemVerTest);
  CPPUNIT_TEST(parsesParts);
  CPPUNIT_TEST(rejectsMalformed);
  CPPUNIT_TEST(precedence);
  CPPUNIT_TEST(acVersionRule);
  CPPUNIT_TEST_SUITE_END();

  static SemVer v(const char* s) {
    auto r = SemVer::parse(s);
    SCHEMA_ASSERT_OK(r);
    return *r;
  }

 public:
  void parsesParts() {
    SemVer a = v("1.30.0");
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), a.major);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(30), a.minor);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), a.patch);
    SemVer b = v("1.0.0-alpha.1+build.5-x");
    CPPUNIT_ASSERT_EQUAL(std::string("alpha.1"), b.preRelease);
    CPPUNIT_ASSERT_EQUAL(std::string("build.5-x"), b.build);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0-alpha.1+build.5-x"), b.toString());
    CPPUNIT_ASSERT_EQUAL(std::string("0.8.11+git"), v("0.8.11+git").toString());
    CPPUNIT_ASSERT_EQUAL(std::string("1.0.0-x-y"), v("1.0.0-x-y").toString());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(18446744073709551615ULL),
                         v("18446744073709551615.0.0").major);
  }

  void rejectsMalformed() {
    for (const char* s :
         {"", "1", "1.0", "v1.0.0", "1.0.0.0", "01.0.0", "1.00.0", "1.0.0-", "1.0.0+", "1.0.0-01",
          "1.0.0-a..b", "1.0.0-a_b", "a.b.c", "1.0.0 ", "-1.0.0", "18446744073709551616.0.0"}) {
      auto r = SemVer::parse(s);
      CPPUNIT_ASSERT_MESSAGE(s, !r);
      CPPUNIT_ASSERT_MESSAGE(
          s, r.error().message.find("is not a semantic version") != std::string::npos);
    }
    SCHEMA_ASSERT_ERROR(SemVer::parse("1.0"), "`1.0` is not a semantic version");
  }

  void precedence() {
    const char* ordered[] = {"0.9.0",      "1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta",
                             "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
                             "1.0.0",      "1.0.1",        "1.1.0",         "2.0.0"};
    for (size_t i = 0; i + 1 < std::size(ordered); ++i) {
      CPPUNIT_ASSERT_MESSAGE(ordered[i], v(ordered[i]) < v(ordered[i + 1]));
      CPPUNIT_ASSERT_MESSAGE(ordered[i], v(ordered[i + 1]).compare(v(ordered[i])) > 0);
    }
    CPPUNIT_ASSERT_EQUAL(0, v("1.0.0+a").compare(v("1.0.0+b")));
    CPPUNIT_ASSERT(v("1.0.0+a") != v("1.0.0+b"));
    CPPUNIT_ASSERT(v("1.0.0") == v("1.0.0"));
  }

  void acVersionRule() {
    SCHEMA_ASSERT_OK(validateAcVersion("0.8.11"));
    SCHEMA_ASSERT_OK(validateAcVersion("0.0.1"));
    SCHEMA_ASSERT_OK(validateAcVersion("1.30.0"));
    SCHEMA_ASSERT_ERROR(validateAcVersion("0.0.0"), "above 0.0.0");
    SCHEMA_ASSERT_ERROR(validateAcVersion("0.0.0-rc1"), "above 0.0.0");
    SCHEMA_ASSERT_ERROR(validateAcVersion(""), "must be set");
    SCHEMA_ASSERT_ERROR(validateAcVersion("1.0"), "not a semantic version");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SemVerTest);
