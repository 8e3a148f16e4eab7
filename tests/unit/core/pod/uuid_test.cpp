#include "rkt/core/pod/uuid.hpp"

#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <regex>
#include <set>

#include "pod_test_support.hpp"
#include "rkt/support/posix/file_io.hpp"

using rkt::pod::Uuid;

class PodUuidTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodUuidTest);
  CPPUNIT_TEST(generatesCanonicalVersion4);
  CPPUNIT_TEST(generatesDistinctUuids);
  CPPUNIT_TEST(parsesAndFormatsRoundTrip);
  CPPUNIT_TEST(rejectsMalformedText);
  CPPUNIT_TEST(writesUuidFileWithoutNewline);
  CPPUNIT_TEST(readsUuidFileTrimmed);
  CPPUNIT_TEST(readingMissingUuidFileFails);
  CPPUNIT_TEST_SUITE_END();

 public:
  void generatesCanonicalVersion4() {
    // Lowercase 8-4-4-4-12, version nibble 4, RFC 4122 variant (10xx).
    const std::regex canonical(
        "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    for (int i = 0; i < 200; ++i) {
      rkt::Result<Uuid> u = Uuid::generate();
      CPPUNIT_ASSERT(u.ok());
      CPPUNIT_ASSERT_MESSAGE(u->str(), std::regex_match(u->str(), canonical));
      CPPUNIT_ASSERT(!u->isNil());
    }
  }

  void generatesDistinctUuids() {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i)
      seen.insert(Uuid::generate()->str());
    CPPUNIT_ASSERT_EQUAL(size_t(1000), seen.size());
  }

  void parsesAndFormatsRoundTrip() {
    const std::string text = "076292e6-54c4-4cc8-9fa7-679c5f7dcfd3";
    rkt::Result<Uuid> u = Uuid::parse(text);
    CPPUNIT_ASSERT(u.ok());
    CPPUNIT_ASSERT_EQUAL(text, u->str());
    CPPUNIT_ASSERT_EQUAL(std::uint8_t(0x07), u->bytes()[0]);
    CPPUNIT_ASSERT_EQUAL(std::uint8_t(0xd3), u->bytes()[15]);

    rkt::Result<Uuid> upper = Uuid::parse("076292E6-54C4-4CC8-9FA7-679C5F7DCFD3");
    CPPUNIT_ASSERT(upper.ok());
    CPPUNIT_ASSERT_EQUAL(text, upper->str());

    rkt::Result<Uuid> bare = Uuid::parse("076292e654c44cc89fa7679c5f7dcfd3");
    CPPUNIT_ASSERT(bare.ok());
    CPPUNIT_ASSERT(*bare == *u);

    Uuid generated = *Uuid::generate();
    CPPUNIT_ASSERT(*Uuid::parse(generated.str()) == generated);
    CPPUNIT_ASSERT(Uuid().isNil());
    CPPUNIT_ASSERT_EQUAL(std::string("00000000-0000-0000-0000-000000000000"), Uuid().str());
  }

  void rejectsMalformedText() {
    for (const char* bad :
         {"", "076292e6", "076292e6-54c4-4cc8-9fa7-679c5f7dcfd",
          "076292e6-54c4-4cc8-9fa7-679c5f7dcfd3a", "076292e6054c4-4cc8-9fa7-679c5f7dcfd3",
          "076292e6-54c4-4cc8-9fa7-679c5f7dcfdg", "g76292e654c44cc89fa7679c5f7dcfd3",
          "076292e6-54c4-4cc8-9fa7-679c5f7dcf-3"}) {
      rkt::Result<Uuid> u = Uuid::parse(bad);
      CPPUNIT_ASSERT_MESSAGE(bad, !u.ok());
      CPPUNIT_ASSERT_EQUAL(EINVAL, u.error().sysErrno);
      CPPUNIT_ASSERT(u.error().message.find("invalid uuid `") == 0);
    }
  }

  void writesUuidFileWithoutNewline() {
    podtest::TempDataDir tmp;
    const std::string path = tmp.path() + "/uuid";
    podtest::writeFile(path, "something much longer than a uuid, to be truncated away......\n",
                       0600);
    Uuid u = *Uuid::generate();
    mode_t old = ::umask(022);
    rkt::Status s = rkt::pod::writeUuidFile(path, u);
    ::umask(old);
    CPPUNIT_ASSERT(s.ok());
    rkt::Result<std::string> content = rkt::posix::readFileAt(AT_FDCWD, path);
    CPPUNIT_ASSERT(content.ok());
    CPPUNIT_ASSERT_EQUAL(u.str(), *content);  // exactly 36 bytes, no newline

    const std::string fresh = tmp.path() + "/fresh";
    old = ::umask(022);
    CPPUNIT_ASSERT(rkt::pod::writeUuidFile(fresh, u).ok());
    ::umask(old);
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat(fresh.c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(mode_t(0644), st.st_mode & 07777);

    rkt::Status bad = rkt::pod::writeUuidFile(tmp.path() + "/no/such/dir/uuid", u);
    CPPUNIT_ASSERT(!bad.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, bad.error().sysErrno);
  }

  void readsUuidFileTrimmed() {
    podtest::TempDataDir tmp;
    const std::string path = tmp.path() + "/uuid";
    podtest::writeFile(path, "  076292e6-54c4\n \t\n");
    rkt::Result<std::string> got = rkt::pod::readUuidFile(path);
    CPPUNIT_ASSERT(got.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("076292e6-54c4"), *got);

    // What --uuid-file-save wrote reads back as the UUID; symlinks are followed.
    Uuid u = *Uuid::generate();
    CPPUNIT_ASSERT(rkt::pod::writeUuidFile(path, u).ok());
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(path.c_str(), (tmp.path() + "/link").c_str()));
    CPPUNIT_ASSERT_EQUAL(u.str(), *rkt::pod::readUuidFile(tmp.path() + "/link"));
  }

  void readingMissingUuidFileFails() {
    podtest::TempDataDir tmp;
    const std::string path = tmp.path() + "/missing";
    rkt::Result<std::string> got = rkt::pod::readUuidFile(path);
    CPPUNIT_ASSERT(!got.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, got.error().sysErrno);
    CPPUNIT_ASSERT_EQUAL("cannot read uuid file `" + path + "`: no such file or directory",
                         got.error().message);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodUuidTest);
