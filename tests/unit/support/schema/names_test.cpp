// AC Identifier and AC Name rules.
#include <cppunit/extensions/HelperMacros.h>

#include "rkt/schema/names.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;

class NamesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NamesTest);
  CPPUNIT_TEST(validIdentifiers);
  CPPUNIT_TEST(invalidIdentifiers);
  CPPUNIT_TEST(specIdentifierIsStricter);
  CPPUNIT_TEST(validNames);
  CPPUNIT_TEST(invalidNames);
  CPPUNIT_TEST(errorsSayWhy);
  CPPUNIT_TEST(sanitizeName);
  CPPUNIT_TEST(sanitizeIdentifier);
  CPPUNIT_TEST_SUITE_END();

 public:
  void validIdentifiers() {
    for (const char* s :
         {"a", "0", "example.com/reduce-worker", "zab_rab_oof", "example.com/~bob/db",
          "coreos.com/rkt/stage1/run", "a-b.c_d~e/f", "a--b", "example.com//x"}) {
      CPPUNIT_ASSERT_MESSAGE(s, isValidAcIdentifier(s));
      SCHEMA_ASSERT_OK(validateAcIdentifier(s));
    }
  }

  void invalidIdentifiers() {
    for (const char* s : {"", "Foo", "example.com/App", "-a", "a-", "/a", "a/", "_a", "a~", "a b",
                          "a:b", "a@b", "caf\xc3\xa9", "a\nb"}) {
      CPPUNIT_ASSERT_MESSAGE(s, !isValidAcIdentifier(s));
      CPPUNIT_ASSERT_MESSAGE(s, !validateAcIdentifier(s));
    }
  }

  void specIdentifierIsStricter() {
    CPPUNIT_ASSERT(isSpecAcIdentifier("example.com/reduce-worker"));
    // The spec text's own example fails its regex (`/~` is two separators); the reference
    // library's rule, which we validate with, accepts it.
    CPPUNIT_ASSERT(!isSpecAcIdentifier("example.com/~bob/db"));
    CPPUNIT_ASSERT(!isSpecAcIdentifier("a--b"));
    CPPUNIT_ASSERT(!isSpecAcIdentifier("example.com//x"));
    CPPUNIT_ASSERT(!isSpecAcIdentifier("a._b"));
    CPPUNIT_ASSERT(!isSpecAcIdentifier("Foo"));
    CPPUNIT_ASSERT(isSpecAcName("reduce-worker"));
    CPPUNIT_ASSERT(!isSpecAcName("a--b"));
    CPPUNIT_ASSERT(isValidAcName("a--b"));
  }

  void validNames() {
    for (const char* s : {"a", "9", "reduce-worker", "80-tcp", "a--b"}) {
      CPPUNIT_ASSERT_MESSAGE(s, isValidAcName(s));
      SCHEMA_ASSERT_OK(validateAcName(s));
    }
  }

  void invalidNames() {
    for (const char* s : {"", "a_b", "a.b", "a/b", "a~b", "-a", "a-", "Work", "a b"}) {
      CPPUNIT_ASSERT_MESSAGE(s, !isValidAcName(s));
      CPPUNIT_ASSERT_MESSAGE(s, !validateAcName(s));
    }
  }

  void errorsSayWhy() {
    SCHEMA_ASSERT_ERROR(validateAcIdentifier(""), "invalid AC identifier: must not be empty");
    SCHEMA_ASSERT_ERROR(validateAcIdentifier("Foo"), "invalid AC identifier `Foo`: upper-case");
    SCHEMA_ASSERT_ERROR(validateAcIdentifier("a b"), "only lowercase letters, digits and `-._~/`");
    SCHEMA_ASSERT_ERROR(validateAcIdentifier("a/"), "must start and end");
    SCHEMA_ASSERT_ERROR(validateAcName("a.b"),
                        "invalid AC name `a.b`: only lowercase letters, digits and `-`");
    SCHEMA_ASSERT_ERROR(validateAcName("-x"), "must start and end");
  }

  void sanitizeName() {
    CPPUNIT_ASSERT_EQUAL(std::string("foo-bar"), sanitizeAcName("Foo Bar!").value());
    CPPUNIT_ASSERT_EQUAL(std::string("etcd"), sanitizeAcName("etcd").value());
    CPPUNIT_ASSERT_EQUAL(std::string("x"), sanitizeAcName("--x--").value());
    CPPUNIT_ASSERT_EQUAL(std::string("volume-var-lib-data"),
                         sanitizeAcName("volume/var/lib/data").value());
    auto r = sanitizeAcName("!!!");
    SCHEMA_ASSERT_ERROR(r, "no valid character");
    CPPUNIT_ASSERT(isValidAcName(sanitizeAcName("__A b.C__").value()));
  }

  void sanitizeIdentifier() {
    CPPUNIT_ASSERT_EQUAL(std::string("example.com/foo-bar"),
                         sanitizeAcIdentifier("Example.com/Foo Bar").value());
    CPPUNIT_ASSERT_EQUAL(std::string("registry-1.docker.io/library/nginx"),
                         sanitizeAcIdentifier("registry-1.docker.io/library/nginx").value());
    CPPUNIT_ASSERT_EQUAL(std::string("a"), sanitizeAcIdentifier("/a/").value());
    SCHEMA_ASSERT_ERROR(sanitizeAcIdentifier("///"), "no valid character");
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NamesTest);
