// support/posix's descriptor owner, whole-file reads and writes and fsyncDir on real files,
// pipes and symlinks.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "core/config/temp_tree.hpp"  // a scratch directory tree
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/fsync.hpp"
#include "rkt/support/posix/unique_fd.hpp"

using rkt::posix::UniqueFd;

namespace {

bool isOpen(int fd) {
  return ::fcntl(fd, F_GETFD) >= 0;
}

}  // namespace

class PosixFileIoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PosixFileIoTest);
  CPPUNIT_TEST(uniqueFdClosesWhatItOwns);
  CPPUNIT_TEST(wholeFileThroughAPipe);
  CPPUNIT_TEST(readFileAtRefusesAFinalSymlinkUnlessAsked);
  CPPUNIT_TEST(fsyncDirNamesTheDirectory);
  CPPUNIT_TEST_SUITE_END();

 public:
  void uniqueFdClosesWhatItOwns() {
    int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    {
      UniqueFd a(raw);
      UniqueFd b(std::move(a));
      CPPUNIT_ASSERT(!a.valid());
      CPPUNIT_ASSERT_EQUAL(raw, b.get());
      CPPUNIT_ASSERT_EQUAL("/proc/self/fd/" + std::to_string(raw), b.procPath());
    }
    CPPUNIT_ASSERT(!isOpen(raw));

    raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    UniqueFd kept(raw);
    CPPUNIT_ASSERT_EQUAL(raw, kept.release());
    CPPUNIT_ASSERT(!kept.valid());
    CPPUNIT_ASSERT(isOpen(raw));
    UniqueFd other(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int replaced = other.get();
    other.reset(raw);  // closes the one it held, owns `raw`
    CPPUNIT_ASSERT(!isOpen(replaced));
    other = UniqueFd();
    CPPUNIT_ASSERT(!isOpen(raw));
  }

  void wholeFileThroughAPipe() {
    int fds[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe2(fds, O_CLOEXEC));
    UniqueFd readEnd(fds[0]);
    UniqueFd writeEnd(fds[1]);
    const std::string data(200000, 'x');  // more than a pipe holds: needs the reader
    const pid_t writer = ::fork();
    if (writer == 0) {
      readEnd.reset();
      ::_exit(rkt::posix::writeAll(writeEnd.get(), data) ? 0 : 1);
    }
    writeEnd.reset();
    std::string got = "head:";
    CPPUNIT_ASSERT(rkt::posix::readAll(readEnd.get(), got));
    int status = -1;
    CPPUNIT_ASSERT_EQUAL(writer, ::waitpid(writer, &status, 0));
    CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CPPUNIT_ASSERT(got == "head:" + data);

    int closed[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe2(closed, O_CLOEXEC));
    ::close(closed[0]);
    UniqueFd orphan(closed[1]);
    struct sigaction ignore {};
    struct sigaction saved {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &saved);
    const bool written = rkt::posix::writeAll(orphan.get(), "x");
    const int err = errno;
    ::sigaction(SIGPIPE, &saved, nullptr);
    CPPUNIT_ASSERT(!written);
    CPPUNIT_ASSERT_EQUAL(EPIPE, err);
  }

  void readFileAtRefusesAFinalSymlinkUnlessAsked() {
    rkt::test::TempTree t;
    t.write("f", "content");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("f", t.path("link").c_str()));
    auto direct = rkt::posix::readFileAt(AT_FDCWD, t.path("f"));
    CPPUNIT_ASSERT(direct.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("content"), *direct);

    auto refused = rkt::posix::readFileAt(AT_FDCWD, t.path("link"));
    CPPUNIT_ASSERT(!refused.ok());
    CPPUNIT_ASSERT_EQUAL(ELOOP, refused.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL("cannot open `" + t.path("link") + "`: too many levels of symbolic links",
                         refused.error().message);

    auto followed = rkt::posix::readFileAt(AT_FDCWD, t.path("link"), /*followSymlink=*/true);
    CPPUNIT_ASSERT(followed.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("content"), *followed);

    UniqueFd dir(::open(t.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    auto relative = rkt::posix::readFileAt(dir.get(), "missing");
    CPPUNIT_ASSERT(!relative.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("cannot open `missing`: no such file or directory"),
                         relative.error().message);
  }

  void fsyncDirNamesTheDirectory() {
    rkt::test::TempTree t;
    CPPUNIT_ASSERT(rkt::posix::fsyncDir(t.path()).ok());
    const rkt::Status missing = rkt::posix::fsyncDir(t.path("gone"));
    CPPUNIT_ASSERT(!missing.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, missing.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL(
        "cannot open directory `" + t.path("gone") + "`: no such file or directory",
        missing.error().message);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PosixFileIoTest);
