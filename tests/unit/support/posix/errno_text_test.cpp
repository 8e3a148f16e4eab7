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
  CPPUNIT_TEST(textIsGos);
  CPPUNIT_TEST(strerrorTextIsCs);
  CPPUNIT_TEST(sysErrorKeepsTheErrno);
  CPPUNIT_TEST(statusOfErrno);
  CPPUNIT_TEST(throwSysCarriesTextStatusAndErrno);
  CPPUNIT_TEST(resultsBecomeTheSameException);
  CPPUNIT_TEST_SUITE_END();

 public:
  // Go's syscall.Errno texts (zerrors_linux_amd64.go), which rkt printed.
  void textIsGos() {
    using rkt::posix::errnoText;
    CPPUNIT_ASSERT_EQUAL(std::string("no such file or directory"), errnoText(ENOENT));
    CPPUNIT_ASSERT_EQUAL(std::string("operation not permitted"), errnoText(EPERM));
    CPPUNIT_ASSERT_EQUAL(std::string("permission denied"), errnoText(EACCES));
    CPPUNIT_ASSERT_EQUAL(std::string("input/output error"), errnoText(EIO));
    CPPUNIT_ASSERT_EQUAL(std::string("read-only file system"), errnoText(EROFS));
    CPPUNIT_ASSERT_EQUAL(std::string("resource temporarily unavailable"), errnoText(EAGAIN));
    CPPUNIT_ASSERT_EQUAL(std::string("too many levels of symbolic links"), errnoText(ELOOP));
    CPPUNIT_ASSERT_EQUAL(std::string("operation not supported"), errnoText(EOPNOTSUPP));
    CPPUNIT_ASSERT_EQUAL(std::string("key was rejected by service"), errnoText(EKEYREJECTED));
    CPPUNIT_ASSERT_EQUAL(std::string("operation not possible due to RF-kill"), errnoText(ERFKILL));
    // Where Go's table is not C's with a lowercase first letter.
    CPPUNIT_ASSERT_EQUAL(std::string("RFS specific error"), errnoText(EDOTDOT));
    CPPUNIT_ASSERT_EQUAL(std::string("stale NFS file handle"), errnoText(ESTALE));
    CPPUNIT_ASSERT_EQUAL(std::string("errno 133"), errnoText(EHWPOISON));
    CPPUNIT_ASSERT_EQUAL(std::string("errno 0"), errnoText(0));
    CPPUNIT_ASSERT_EQUAL(std::string("errno 41"), errnoText(41));
    CPPUNIT_ASSERT_EQUAL(std::string("errno 4242"), errnoText(4242));
    // Async-signal-safe form: a short buffer cuts the text, always terminated.
    char small[6];
    CPPUNIT_ASSERT_EQUAL(std::string("no su"),
                         std::string(rkt::posix::errnoTextInto(ENOENT, small, sizeof small)));
  }

  // C's texts, for the lines rkt's C stage1 diagnostics printed.
  void strerrorTextIsCs() {
    CPPUNIT_ASSERT_EQUAL(std::string("No such file or directory"),
                         rkt::posix::strerrorText(ENOENT));
    CPPUNIT_ASSERT_EQUAL(std::string("Unknown error 4242"), rkt::posix::strerrorText(4242));
    CPPUNIT_ASSERT_EQUAL(std::string("Permission denied"),
                         std::string(rkt::posix::errnoDescription(EACCES)));
    CPPUNIT_ASSERT_EQUAL(std::string("Unknown error"),
                         std::string(rkt::posix::errnoDescription(4242)));
  }

  void sysErrorKeepsTheErrno() {
    const rkt::Error e = rkt::sysError("cannot open `x`", ENOTDIR);
    CPPUNIT_ASSERT_EQUAL(std::string("cannot open `x`: not a directory"), e.message);
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
      CPPUNIT_ASSERT_EQUAL(std::string("cannot open `/x`: permission denied"),
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
      CPPUNIT_ASSERT_EQUAL(std::string("cannot sync `d`: no such file or directory"),
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
