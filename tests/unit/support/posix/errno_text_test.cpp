// The one errno wording and the one errno -> status mapping (support/posix): what the core's
// sysError, the support libraries and the plugins' throwSys all say.
#include <cppunit/extensions/HelperMacros.h>

#include <cerrno>
#include <string>

#include "rkt/sdk/error.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/throw_sys.hpp"

class PosixErrnoTextTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PosixErrnoTextTest);
  CPPUNIT_TEST(textIsCsOwn);
  CPPUNIT_TEST(sysErrorKeepsTheErrno);
  CPPUNIT_TEST(statusOfErrno);
  CPPUNIT_TEST(throwSysCarriesTextStatusAndErrno);
  CPPUNIT_TEST(resultsBecomeTheSameException);
  CPPUNIT_TEST_SUITE_END();

 public:
  void textIsCsOwn() {
    CPPUNIT_ASSERT_EQUAL(std::string("No such file or directory"), rkt::posix::errnoText(ENOENT));
    CPPUNIT_ASSERT_EQUAL(std::string("Operation not permitted"), rkt::posix::errnoText(EPERM));
    CPPUNIT_ASSERT_EQUAL(std::string("Unknown error 4242"), rkt::posix::errnoText(4242));
    CPPUNIT_ASSERT_EQUAL(std::string("Permission denied"),
                         std::string(rkt::posix::errnoDescription(EACCES)));
    CPPUNIT_ASSERT_EQUAL(std::string("Unknown error"),
                         std::string(rkt::posix::errnoDescription(4242)));
  }

  void sysErrorKeepsTheErrno() {
    const rkt::Error e = rkt::sysError("cannot open `x`", ENOTDIR);
    CPPUNIT_ASSERT_EQUAL(std::string("cannot open `x`: Not a directory"), e.message);
    CPPUNIT_ASSERT_EQUAL(ENOTDIR, e.sysErrno);
    errno = EEXIST;
    CPPUNIT_ASSERT_EQUAL(EEXIST, rkt::sysError("cannot create `y`").sysErrno);
  }

  void statusOfErrno() {
    using rkt::posix::statusOfErrno;
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, statusOfErrno(ENOENT));
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, statusOfErrno(ENOTDIR));
    CPPUNIT_ASSERT_EQUAL(RKT_E_PERMISSION, statusOfErrno(EACCES));
    CPPUNIT_ASSERT_EQUAL(RKT_E_PERMISSION, statusOfErrno(EPERM));
    CPPUNIT_ASSERT_EQUAL(RKT_E_BUSY, statusOfErrno(EWOULDBLOCK));
    CPPUNIT_ASSERT_EQUAL(RKT_E_IO, statusOfErrno(ENOSPC));
    CPPUNIT_ASSERT_EQUAL(RKT_E_IO, statusOfErrno(EINVAL));
    CPPUNIT_ASSERT_EQUAL(RKT_E_IO, statusOfErrno(0));
    // A caller whose library reports bad content with errno values.
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, statusOfErrno(EILSEQ, RKT_E_INVALID));
    CPPUNIT_ASSERT_EQUAL(RKT_E_INVALID, statusOfErrno(0, RKT_E_INVALID));
    CPPUNIT_ASSERT_EQUAL(RKT_E_IO, statusOfErrno(EIO, RKT_E_INVALID));
    CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, statusOfErrno(ENOENT, RKT_E_INVALID));
  }

  void throwSysCarriesTextStatusAndErrno() {
    try {
      rkt::posix::throwSys("cannot open `/x`", EACCES);
      CPPUNIT_FAIL("throwSys returned");
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("cannot open `/x`: Permission denied"),
                           std::string(e.what()));
      CPPUNIT_ASSERT_EQUAL(RKT_E_PERMISSION, e.code());
      CPPUNIT_ASSERT_EQUAL(EACCES, e.sysErrno());
    }
  }

  void resultsBecomeTheSameException() {
    CPPUNIT_ASSERT_EQUAL(7, rkt::posix::valueOrThrow(rkt::Result<int>(7)));
    rkt::posix::throwIfFailed(rkt::Status());
    try {
      rkt::posix::throwIfFailed(rkt::sysError("cannot sync `d`", ENOENT));
      CPPUNIT_FAIL("throwIfFailed returned");
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("cannot sync `d`: No such file or directory"),
                           std::string(e.what()));
      CPPUNIT_ASSERT_EQUAL(RKT_E_NOT_FOUND, e.code());
    }
    try {
      (void)rkt::posix::valueOrThrow(rkt::Result<int>(rkt::Error{"bad image"}));
      CPPUNIT_FAIL("valueOrThrow returned");
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(RKT_E_IO, e.code());
      CPPUNIT_ASSERT_EQUAL(0, e.sysErrno());
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PosixErrnoTextTest);
