// --private-users ranges: the choice (a multiple of 65536 in systemd's container range, none
// another pod recorded) and private-users-prepared read back.
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <unistd.h>

#include "pod_test_support.hpp"
#include "rkt/core/pod/private_users.hpp"

using rkt::pod::UidRange;

class PrivateUsersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PrivateUsersTest);
  CPPUNIT_TEST(choosesABlockInSystemdsContainerRange);
  CPPUNIT_TEST(recordedRangeReadBack);
  CPPUNIT_TEST(noRecordIsNoRange);
  CPPUNIT_TEST_SUITE_END();

 public:
  void choosesABlockInSystemdsContainerRange() {
    podtest::TempDataDir data;
    for (int i = 0; i < 100; ++i) {
      rkt::Result<UidRange> r = rkt::pod::choosePrivateUsers(data.dirs());
      CPPUNIT_ASSERT(r.ok());
      CPPUNIT_ASSERT_EQUAL(0u, r->shift % 65536u);
      CPPUNIT_ASSERT(r->shift >= 0x80000u && r->shift <= 0x6FFF0000u);
      CPPUNIT_ASSERT_EQUAL(65536u, r->count);
    }
  }

  void recordedRangeReadBack() {
    podtest::TempDataDir data;
    const std::string pod = data.path() + "/pod";
    podtest::makeDirs(pod);
    podtest::writeFile(pod + "/private-users-prepared",
                       rkt::pod::formatUidRange(UidRange{0x120000, 65536}));
    const int fd = ::open(pod.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    rkt::Result<std::optional<UidRange>> r = rkt::pod::readPrivateUsers(fd);
    ::close(fd);
    CPPUNIT_ASSERT(r.ok() && r->has_value());
    CPPUNIT_ASSERT_EQUAL(0x120000u, (*r)->shift);
    CPPUNIT_ASSERT_EQUAL(65536u, (*r)->count);
  }

  void noRecordIsNoRange() {
    podtest::TempDataDir data;
    const int fd = ::open(data.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    rkt::Result<std::optional<UidRange>> r = rkt::pod::readPrivateUsers(fd);
    ::close(fd);
    CPPUNIT_ASSERT(r.ok() && !r->has_value());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PrivateUsersTest);
