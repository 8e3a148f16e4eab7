// Key locks: shared locks coexist, an exclusive one excludes, the lock file is re-created.
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "rkt/core/util/key_lock.hpp"

using rkt::util::KeyLock;

class KeyLockTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(KeyLockTest);
  CPPUNIT_TEST(sharedAndExclusive);
  CPPUNIT_TEST(createsDirectoryAndFile);
  CPPUNIT_TEST_SUITE_END();

  std::string dir_;

  // Whether another open file description could take the lock now.
  bool canLock(int op) const {
    const int fd = ::open((dir_ + "/locks/" + rkt::util::kPrepareLockKey).c_str(), O_RDONLY);
    CPPUNIT_ASSERT(fd >= 0);
    const bool ok = ::flock(fd, op | LOCK_NB) == 0;
    ::close(fd);
    return ok;
  }

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-keylock-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
  }
  void tearDown() override { std::filesystem::remove_all(dir_); }

  void sharedAndExclusive() {
    {
      auto shared =
          KeyLock::acquire(dir_ + "/locks", rkt::util::kPrepareLockKey, KeyLock::Mode::Shared);
      CPPUNIT_ASSERT(shared.ok());
      CPPUNIT_ASSERT(canLock(LOCK_SH));
      CPPUNIT_ASSERT(!canLock(LOCK_EX));
    }
    CPPUNIT_ASSERT(canLock(LOCK_EX));
    {
      auto ex =
          KeyLock::acquire(dir_ + "/locks", rkt::util::kPrepareLockKey, KeyLock::Mode::Exclusive);
      CPPUNIT_ASSERT(ex.ok());
      CPPUNIT_ASSERT(!canLock(LOCK_SH));
      KeyLock moved = std::move(*ex);
      CPPUNIT_ASSERT(!canLock(LOCK_SH));
    }
    CPPUNIT_ASSERT(canLock(LOCK_EX));
  }

  void createsDirectoryAndFile() {
    auto l = KeyLock::acquire(dir_ + "/locks", "k", KeyLock::Mode::Exclusive);
    CPPUNIT_ASSERT(l.ok());
    CPPUNIT_ASSERT_EQUAL(dir_ + "/locks/k", l->path());
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat((dir_ + "/locks").c_str(), &st));
    CPPUNIT_ASSERT(S_ISDIR(st.st_mode));
    CPPUNIT_ASSERT(!KeyLock::acquire(dir_ + "/missing/locks", "k", KeyLock::Mode::Shared).ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeyLockTest);
