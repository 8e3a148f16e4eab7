// The fly plugin's building blocks on their own: path resolution inside a rootfs (symlinks that
// try to leave it), passwd/group lookups, numeric ids, and the app environment.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "environment.hpp"
#include "fly_harness.hpp"
#include "fly_test_util.hpp"
#include "rkt/sdk/plugin.hpp"
#include "root_dir.hpp"
#include "users.hpp"

using namespace flytest;
using rkt::fly::RootDir;

class FlyHelpersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(FlyHelpersTest);
  CPPUNIT_TEST(resolveStaysInsideTheRoot);
  CPPUNIT_TEST(resolveFollowsLinksLikeAChroot);
  CPPUNIT_TEST(resolveRefusesSymlinkLoops);
  CPPUNIT_TEST(mkdirAllAndCreateFileThroughLinks);
  CPPUNIT_TEST(passwdAndGroupLookups);
  CPPUNIT_TEST(numericIds);
  CPPUNIT_TEST(environmentComposition);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    root_ = makeTempDir("root");
    outside_ = makeTempDir("outside");
    ::mkdir((root_ + "/etc").c_str(), 0755);
    ::mkdir((root_ + "/bin").c_str(), 0755);
    writeFile(root_ + "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    link("/etc", "/l-abs");                       // absolute
    link("../bin", "/etc/l-rel");                 // relative, inside
    link("../../../../../../../../..", "/l-up");  // climbs far above the root
    link(outside_, "/l-out");                     // a host path, absolute
    link("/missing/dir/file", "/l-dangling");     // nothing there yet
    link("l-loop2", "/l-loop1");
    link("l-loop1", "/l-loop2");
  }

  void resolveStaysInsideTheRoot() {
    RootDir r(root_);
    CPPUNIT_ASSERT_EQUAL(std::string("/"), r.resolve("/"));
    CPPUNIT_ASSERT_EQUAL(std::string("/"), r.resolve("../../.."));
    CPPUNIT_ASSERT_EQUAL(std::string("/b"), r.resolve("/a/../../b"));
    CPPUNIT_ASSERT_EQUAL(std::string("/x"), r.resolve("/l-up/x"));
    // The host path a link names is taken as a path inside the root.
    CPPUNIT_ASSERT_EQUAL(outside_ + "/f", r.resolve("/l-out/f"));
    CPPUNIT_ASSERT(!r.stat("/l-out"));  // it does not exist inside
  }

  void resolveFollowsLinksLikeAChroot() {
    RootDir r(root_);
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/passwd"), r.resolve("/l-abs/passwd"));
    CPPUNIT_ASSERT_EQUAL(std::string("/bin/sh"), r.resolve("/etc/l-rel/sh"));
    CPPUNIT_ASSERT_EQUAL(std::string("/missing/dir/file"), r.resolve("/l-dangling"));
    CPPUNIT_ASSERT_EQUAL(std::string("/etc"), r.resolve("l-abs/./"));
    CPPUNIT_ASSERT_EQUAL(std::string("root:x:0:0::/root:/bin/sh\n"),
                         r.readFile("/l-abs/../l-abs/passwd"));
    auto st = r.lstat("/l-abs");
    CPPUNIT_ASSERT(st && S_ISLNK(st->st_mode));
  }

  void resolveRefusesSymlinkLoops() {
    RootDir r(root_);
    try {
      r.resolve("/l-loop1/x");
      CPPUNIT_FAIL("a symlink loop resolved");
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(ELOOP, e.sysErrno());
    }
  }

  void mkdirAllAndCreateFileThroughLinks() {
    RootDir r(root_);
    CPPUNIT_ASSERT_EQUAL(outside_ + "/new/dir", r.mkdirAll("/l-out/new/dir", 0751));
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat((root_ + outside_ + "/new/dir").c_str(), &st));
    CPPUNIT_ASSERT_EQUAL(0751u, static_cast<unsigned>(st.st_mode & 07777));
    CPPUNIT_ASSERT(!exists(outside_ + "/new"));
    CPPUNIT_ASSERT_EQUAL(std::string("/missing/dir/file"), r.createFile("/l-dangling", 0600));
    CPPUNIT_ASSERT(exists(root_ + "/missing/dir/file"));
    // A regular file in the way.
    CPPUNIT_ASSERT_THROW(r.mkdirAll("/etc/passwd/sub", 0755), rkt::sdk::Error);
  }

  void passwdAndGroupLookups() {
    const std::string passwd =
        "# comment\nroot:x:0:0:root:/root:/bin/sh\nuser1:x:1001:100::/:/bin/sh\n"
        "user:x:1000:100::/:/bin/sh\nbroken:x:notanumber:1::/:\nshort:x\n";
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1000),
                         rkt::fly::lookupIdInDatabase(passwd, "user").value_or(0xffffffffu));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(1001),
                         rkt::fly::lookupIdInDatabase(passwd, "user1").value_or(0xffffffffu));
    CPPUNIT_ASSERT(!rkt::fly::lookupIdInDatabase(passwd, "use"));
    CPPUNIT_ASSERT(!rkt::fly::lookupIdInDatabase(passwd, "broken"));
    CPPUNIT_ASSERT(!rkt::fly::lookupIdInDatabase(passwd, "short"));
    CPPUNIT_ASSERT(!rkt::fly::lookupIdInDatabase(passwd, "# comment"));
    const std::string group = "wheel:x:10:admin\nusers:x:100:user,admin\n";
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(100),
                         rkt::fly::lookupIdInDatabase(group, "users").value_or(0xffffffffu));
  }

  void numericIds() {
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), rkt::fly::parseNumericId("0").value_or(0xffffffffu));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(4294967294u),
                         rkt::fly::parseNumericId("4294967294").value_or(0xffffffffu));
    CPPUNIT_ASSERT(!rkt::fly::parseNumericId("4294967295"));  // (uid_t)-1
    CPPUNIT_ASSERT(!rkt::fly::parseNumericId("-1"));
    CPPUNIT_ASSERT(!rkt::fly::parseNumericId("12a"));
    CPPUNIT_ASSERT(!rkt::fly::parseNumericId(""));
    CPPUNIT_ASSERT(!rkt::fly::parseNumericId("99999999999"));
  }

  void environmentComposition() {
    rkt::fly::EnvList app = {{"HOME", "/home/x"}, {"A", "1"}, {"AC_APP_NAME", "mine"}};
    rkt::fly::EnvList env = rkt::fly::composeEnvironment(app, "web");
    rkt::fly::EnvList expected = {
        {"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
        {"SHELL", "/bin/sh"},
        {"USER", "root"},
        {"LOGNAME", "root"},
        {"HOME", "/home/x"},
        {"A", "1"},
        {"AC_APP_NAME", "web"}};
    CPPUNIT_ASSERT(env == expected);
    CPPUNIT_ASSERT(rkt::fly::parseEnvFile(rkt::fly::formatEnvFile(env)) == env);
    CPPUNIT_ASSERT(rkt::fly::parseEnvFile("A=x=y\nnot a var\n=v\n") ==
                   rkt::fly::EnvList({{"A", "x=y"}}));
  }

 private:
  void link(const std::string& target, const std::string& at) {
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(target.c_str(), (root_ + at).c_str()));
  }

  std::string root_;
  std::string outside_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FlyHelpersTest);
