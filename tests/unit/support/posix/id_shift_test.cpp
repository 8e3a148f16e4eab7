// Trees for pods in a user namespace (support/posix id_shift): ownership shifted by a range's
// first id, and which refusals of an idmapped mount mean "no idmapped mounts here" (the callers
// then fall back to shifting ownership; RKT_POSIX_NO_IDMAP forces that for tests).
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

#include "rkt/support/posix/id_shift.hpp"
#include "rkt/support/posix/remove_tree.hpp"

class PosixIdShiftTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PosixIdShiftTest);
  CPPUNIT_TEST(unavailableErrnos);
  CPPUNIT_TEST(testHookRefusesEveryIdmappedMount);
  CPPUNIT_TEST(shiftAddsTheShiftOnceKeepingSetuid);
  CPPUNIT_TEST_SUITE_END();

 public:
  void unavailableErrnos() {
    using rkt::posix::idmapUnavailable;
    for (int e : {EINVAL, ENOSYS, EOPNOTSUPP, EPERM})
      CPPUNIT_ASSERT(idmapUnavailable(rkt::Error{"refused", e}));
    for (int e : {0, ENOENT, EBUSY, ENOMEM})
      CPPUNIT_ASSERT(!idmapUnavailable(rkt::Error{"failed", e}));
  }

  void testHookRefusesEveryIdmappedMount() {
    ::setenv("RKT_POSIX_NO_IDMAP", "1", 1);
    rkt::Status s = rkt::posix::bindIdmapped("/", "/nonexistent-target", 0x80000, 65536);
    ::unsetenv("RKT_POSIX_NO_IDMAP");
    CPPUNIT_ASSERT(!s);
    CPPUNIT_ASSERT_EQUAL(EINVAL, s.error().sysErrno);
    CPPUNIT_ASSERT(s.error().message.find("RKT_POSIX_NO_IDMAP") != std::string::npos);
  }

  // chown needs root: the test says so and passes elsewhere.
  void shiftAddsTheShiftOnceKeepingSetuid() {
    if (::geteuid() != 0)
      return;
    char templ[] = "/tmp/rkt-id-shift-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(templ) != nullptr);
    const std::string root = templ;
    const std::string file = root + "/suid";
    std::ofstream(file) << "x";
    CPPUNIT_ASSERT_EQUAL(0, ::chown(file.c_str(), 5, 6));
    CPPUNIT_ASSERT_EQUAL(0, ::chmod(file.c_str(), 04755));
    const uid_t shift = 0x80000;
    CPPUNIT_ASSERT(rkt::posix::shiftOwnership(root, shift).ok());
    CPPUNIT_ASSERT(rkt::posix::shiftOwnership(root, shift).ok());  // a second pass: no change
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::lstat(file.c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(shift + 5, st.st_uid);
    CPPUNIT_ASSERT_EQUAL(shift + 6, st.st_gid);
    CPPUNIT_ASSERT_EQUAL(static_cast<mode_t>(04755), st.st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(0, ::lstat(root.c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(shift, st.st_uid);
    CPPUNIT_ASSERT(rkt::posix::removeTree(root).ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PosixIdShiftTest);
