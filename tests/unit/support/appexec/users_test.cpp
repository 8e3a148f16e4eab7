// The parts of appexec's user and group resolution that need no rootfs: passwd/group lookups
// and numeric ids.
#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>

#include "rkt/support/appexec/users.hpp"

class AppexecUsersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppexecUsersTest);
  CPPUNIT_TEST(passwdAndGroupLookups);
  CPPUNIT_TEST(numericIds);
  CPPUNIT_TEST_SUITE_END();

 public:
  void passwdAndGroupLookups() {
    const std::string passwd =
        "# comment\nroot:x:0:0:root:/root:/bin/sh\nuser1:x:1001:100::/:/bin/sh\n"
        "user:x:1000:100::/:/bin/sh\nbroken:x:notanumber:1::/:\nshort:x\n";
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1000),
                         rkt::appexec::lookupIdInDatabase(passwd, "user").value_or(0xffffffffu));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1001),
                         rkt::appexec::lookupIdInDatabase(passwd, "user1").value_or(0xffffffffu));
    CPPUNIT_ASSERT(!rkt::appexec::lookupIdInDatabase(passwd, "use"));
    CPPUNIT_ASSERT(!rkt::appexec::lookupIdInDatabase(passwd, "broken"));
    CPPUNIT_ASSERT(!rkt::appexec::lookupIdInDatabase(passwd, "short"));
    CPPUNIT_ASSERT(!rkt::appexec::lookupIdInDatabase(passwd, "# comment"));
    const std::string group = "wheel:x:10:admin\nusers:x:100:user,admin\n";
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(100),
                         rkt::appexec::lookupIdInDatabase(group, "users").value_or(0xffffffffu));
  }

  void numericIds() {
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), rkt::appexec::parseNumericId("0").value_or(0xffffffffu));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(4294967294u),
                         rkt::appexec::parseNumericId("4294967294").value_or(0xffffffffu));
    CPPUNIT_ASSERT(!rkt::appexec::parseNumericId("4294967295"));  // (uid_t)-1
    CPPUNIT_ASSERT(!rkt::appexec::parseNumericId("-1"));
    CPPUNIT_ASSERT(!rkt::appexec::parseNumericId("12a"));
    CPPUNIT_ASSERT(!rkt::appexec::parseNumericId(""));
    CPPUNIT_ASSERT(!rkt::appexec::parseNumericId("99999999999"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppexecUsersTest);
