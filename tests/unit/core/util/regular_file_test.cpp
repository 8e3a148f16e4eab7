// Files the user names are read only when they are regular files: a named pipe is refused
// without blocking, a directory or device without being read.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "util/regular_file.hpp"

class RegularFileTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RegularFileTest);
  CPPUNIT_TEST(readsARegularFileThroughASymlink);
  CPPUNIT_TEST(refusesANamedPipeWithoutBlocking);
  CPPUNIT_TEST(refusesDirectoriesAndDevices);
  CPPUNIT_TEST(keepsTheErrnoOfAMissingFile);
  CPPUNIT_TEST_SUITE_END();

  std::string dir_;

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-regular-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
  }
  void tearDown() override { std::filesystem::remove_all(dir_); }

  void readsARegularFileThroughASymlink() {
    std::ofstream(dir_ + "/key") << "armored";
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("key", (dir_ + "/link").c_str()));
    CPPUNIT_ASSERT(rkt::util::checkRegularFile(dir_ + "/link").ok());
    auto bytes = rkt::util::readRegularFile(dir_ + "/link");
    CPPUNIT_ASSERT(bytes.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("armored"), *bytes);
  }

  void refusesANamedPipeWithoutBlocking() {
    const std::string fifo = dir_ + "/pipe";
    CPPUNIT_ASSERT_EQUAL(0, ::mkfifo(fifo.c_str(), 0600));
    // No writer ever comes: a blocking open or read would hang the test here.
    auto bytes = rkt::util::readRegularFile(fifo);
    CPPUNIT_ASSERT(!bytes.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("not a regular file (a named pipe)"), bytes.error().message);
    CPPUNIT_ASSERT_EQUAL(std::string("not a regular file (a named pipe)"),
                         rkt::util::checkRegularFile(fifo).error().message);
  }

  void refusesDirectoriesAndDevices() {
    CPPUNIT_ASSERT_EQUAL(std::string("not a regular file (a directory)"),
                         rkt::util::readRegularFile(dir_).error().message);
    CPPUNIT_ASSERT_EQUAL(std::string("not a regular file (a character device)"),
                         rkt::util::readRegularFile("/dev/zero").error().message);
  }

  void keepsTheErrnoOfAMissingFile() {
    auto bytes = rkt::util::readRegularFile(dir_ + "/missing");
    CPPUNIT_ASSERT(!bytes.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, bytes.error().sysErrno);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RegularFileTest);
