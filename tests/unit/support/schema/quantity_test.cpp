// Kubernetes-style resource quantities: parsing, exact values, rounding, comparison.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <vector>

#include "rkt/schema/quantity.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class QuantityTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(QuantityTest);
  CPPUNIT_TEST(plainNumbers);
  CPPUNIT_TEST(decimalSuffixes);
  CPPUNIT_TEST(binarySuffixes);
  CPPUNIT_TEST(exponents);
  CPPUNIT_TEST(roundingUpAwayFromZero);
  CPPUNIT_TEST(rangeLimits);
  CPPUNIT_TEST(rejectsMalformed);
  CPPUNIT_TEST(comparesNumerically);
  CPPUNIT_TEST(keepsTextAndBuildsFromNumbers);
  CPPUNIT_TEST_SUITE_END();

  static Quantity q(const char* s) {
    auto r = Quantity::parse(s);
    SCHEMA_ASSERT_OK(r);
    return *r;
  }
  static std::int64_t milli(const char* s) { return q(s).milliValue().value(); }
  static std::int64_t units(const char* s) { return q(s).value().value(); }

 public:
  void plainNumbers() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t(0), units("0"));
    CPPUNIT_ASSERT(q("0").isZero());
    CPPUNIT_ASSERT(q("000").isZero());
    CPPUNIT_ASSERT(q("-0").isZero());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), units("1"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(5), units("+5"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1500), milli("1.5"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(500), milli(".5"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(5000), milli("5."));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), units("-1"));
    CPPUNIT_ASSERT(q("-1").isNegative());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), units("1.000000000000000000000000000000000000000000"));
  }

  void decimalSuffixes() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t(500), milli("500m"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(250), milli("250m"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), units("1k"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000000), units("1M"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000000000), units("1G"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2000000000), units("2G"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000000000000), units("1T"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000000000000000), units("1P"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000000000000000000), units("1E"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1500000000), units("1.5G"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), milli("1000u"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), milli("1000000n"));
  }

  void binarySuffixes() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1024), units("1Ki"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(512), units("0.5Ki"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(16777216), units("16Mi"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1073741824), units("1Gi"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1610612736), units("1.5Gi"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1099511627776), units("1Ti"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1125899906842624), units("1Pi"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1152921504606846976), units("1Ei"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(102400), milli("0.1Ki"));  // 102.4 exactly
  }

  void exponents() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), units("1e3"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), units("1E3"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), units("1e+3"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2), milli("2e-3"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1500), units("1.5e3"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), units("1e0"));
    CPPUNIT_ASSERT(q("1e3") == q("1k"));
  }

  void roundingUpAwayFromZero() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), units("500m"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2), units("1.5"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(-2), units("-1.5"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1), milli("1n"));
    CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), milli("-1n"));
    // Finer than 1n rounds up to 1n, so it is not zero and equals "1n".
    CPPUNIT_ASSERT(!q("0.1n").isZero());
    CPPUNIT_ASSERT(q("0.1n") == q("1n"));
    CPPUNIT_ASSERT(q("1e-30") == q("1n"));
    CPPUNIT_ASSERT(q("1.5n") == q("2n"));
  }

  void rangeLimits() {
    CPPUNIT_ASSERT(!q("8Ei").value());  // 2^63 does not fit an int64
    CPPUNIT_ASSERT_EQUAL(std::int64_t(9223372036854775807), units("9223372036854775807"));
    CPPUNIT_ASSERT(!q("1e20").value());
    CPPUNIT_ASSERT(q("1e20") > q("1e19"));
    SCHEMA_ASSERT_ERROR(Quantity::parse("1e30"), "out of range");
    SCHEMA_ASSERT_ERROR(Quantity::parse("1e99999999999"), "out of range");
    SCHEMA_ASSERT_ERROR(Quantity::parse("1000000000000Ei"), "out of range");
    SCHEMA_ASSERT_ERROR(Quantity::parse("1234567890123456789012345678901234567"),
                        "too many significant digits");
  }

  void rejectsMalformed() {
    for (const char* s :
         {"",      "abc", "G",   "1.2.3", "1 G",  " 1", "1Gb", "1KiB", "1e",  "1ee3",
          "1e3.5", "--1", "+-1", "1i",    "0x10", ".",  "-",   "1E+",  "1m3", "1,5"}) {
      CPPUNIT_ASSERT_MESSAGE(s, !Quantity::parse(s));
    }
    SCHEMA_ASSERT_ERROR(Quantity::parse("1K"), "the decimal kilo suffix is `k`");
    SCHEMA_ASSERT_ERROR(Quantity::parse("1Gb"), "invalid quantity `1Gb`: unknown suffix `Gb`");
    SCHEMA_ASSERT_ERROR(Quantity::parse("abc"), "expected a number");
    SCHEMA_ASSERT_ERROR(Quantity::parse(""), "must not be empty");
  }

  void comparesNumerically() {
    CPPUNIT_ASSERT(q("1G") == q("1000M"));
    CPPUNIT_ASSERT(q("1Gi") > q("1G"));
    CPPUNIT_ASSERT(q("999m") < q("1"));
    CPPUNIT_ASSERT(q("250m") == q("0.25"));
    CPPUNIT_ASSERT(q("-1") < q("0"));
    CPPUNIT_ASSERT(q("1Mi") <= q("1024Ki"));
    CPPUNIT_ASSERT(q("1Mi") >= q("1024Ki"));
    CPPUNIT_ASSERT(q("1") != q("2"));
    CPPUNIT_ASSERT_EQUAL(-1, q("1k").compare(q("1Ki")));
    CPPUNIT_ASSERT_EQUAL(1, q("1Ki").compare(q("1k")));
    std::vector<Quantity> v = {q("1Gi"), q("500m"), q("1G"), q("-2"), q("1e3")};
    std::sort(v.begin(), v.end());
    std::vector<std::string> texts;
    for (const auto& x : v)
      texts.push_back(x.text());
    CPPUNIT_ASSERT((texts == std::vector<std::string>{"-2", "500m", "1e3", "1G", "1Gi"}));
  }

  void keepsTextAndBuildsFromNumbers() {
    CPPUNIT_ASSERT_EQUAL(std::string("1.5Gi"), q("1.5Gi").text());
    CPPUNIT_ASSERT_EQUAL(std::string("0"), Quantity().text());
    CPPUNIT_ASSERT(Quantity().isZero());
    Quantity a = Quantity::fromValue(1024);
    CPPUNIT_ASSERT_EQUAL(std::string("1024"), a.text());
    CPPUNIT_ASSERT(a == q("1Ki"));
    CPPUNIT_ASSERT_EQUAL(std::string("1500m"), Quantity::fromMilliValue(1500).text());
    CPPUNIT_ASSERT_EQUAL(std::string("2"), Quantity::fromMilliValue(2000).text());
    CPPUNIT_ASSERT(Quantity::fromMilliValue(500) == q("0.5"));
    CPPUNIT_ASSERT(Quantity::fromValue(-3) == q("-3"));
    // Whatever text a quantity carries parses back to the same value.
    for (const char* s : {"1.5Gi", "500m", "1e3", "-7"})
      CPPUNIT_ASSERT(Quantity::parse(q(s).text()).value() == q(s));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(QuantityTest);
