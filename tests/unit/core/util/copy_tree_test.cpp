// copyTree: everything a rootfs holds arrives, nothing is followed through a symlink.
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rkt/core/util/copy_tree.hpp"

namespace fs = std::filesystem;
using rkt::util::copyTree;

class CopyTreeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CopyTreeTest);
  CPPUNIT_TEST(copiesContentModesAndLinks);
  CPPUNIT_TEST(keepsOwnersNodesAndXattrsAsRoot);
  CPPUNIT_TEST(refusesExistingDestination);
  CPPUNIT_TEST(keepsModesTheUmaskWouldStripAndGroupsUnderSetgid);
  CPPUNIT_TEST_SUITE_END();

  std::string dir_;

  std::string path(const std::string& rel) const { return dir_ + "/" + rel; }
  void write(const std::string& rel, const std::string& content, mode_t mode = 0644) {
    std::ofstream(path(rel)) << content;
    ::chmod(path(rel).c_str(), mode);
  }
  std::string read(const std::string& rel) const {
    std::ifstream in(path(rel));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  struct stat lst(const std::string& rel) const {
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::lstat(path(rel).c_str(), &st));
    return st;
  }

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-copytree-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    fs::create_directories(path("src/dir/sub"));
    write("src/file", "hello\n", 04755);
    write("src/dir/sub/deep", std::string(3 << 20, 'x'));
    ::symlink("/etc/passwd", path("src/abs-link").c_str());
    ::symlink("../file", path("src/dir/rel-link").c_str());
    ::link(path("src/file").c_str(), path("src/dir/hard").c_str());
    ::chmod(path("src/dir").c_str(), 01750);
    struct timespec times[2] = {{1000000, 0}, {1500000000, 123000000}};
    ::utimensat(AT_FDCWD, path("src/dir/sub/deep").c_str(), times, 0);
    ::utimensat(AT_FDCWD, path("src/dir").c_str(), times, 0);
  }
  void tearDown() override { fs::remove_all(dir_); }

  void copiesContentModesAndLinks() {
    auto r = copyTree(path("src"), path("dst"));
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("hello\n"), read("dst/file"));
    CPPUNIT_ASSERT_EQUAL(std::size_t{3} << 20, read("dst/dir/sub/deep").size());
    CPPUNIT_ASSERT_EQUAL(mode_t{04755}, lst("dst/file").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{01750}, lst("dst/dir").st_mode & 07777);
    CPPUNIT_ASSERT(S_ISLNK(lst("dst/abs-link").st_mode));
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/passwd"),
                         fs::read_symlink(path("dst/abs-link")).string());
    CPPUNIT_ASSERT_EQUAL(std::string("../file"),
                         fs::read_symlink(path("dst/dir/rel-link")).string());
    CPPUNIT_ASSERT_EQUAL(lst("dst/file").st_ino, lst("dst/dir/hard").st_ino);
    CPPUNIT_ASSERT(lst("dst/file").st_ino != lst("src/file").st_ino);
    CPPUNIT_ASSERT_EQUAL(time_t{1500000000}, lst("dst/dir/sub/deep").st_mtim.tv_sec);
    CPPUNIT_ASSERT_EQUAL(123000000L, lst("dst/dir/sub/deep").st_mtim.tv_nsec);
    CPPUNIT_ASSERT_EQUAL(time_t{1500000000}, lst("dst/dir").st_mtim.tv_sec);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t{7}, r->entries);  // file deep dir sub 2 links hard
  }

  void keepsOwnersNodesAndXattrsAsRoot() {
    if (::geteuid() != 0) {
      return;  // owners, nodes and security xattrs need root
    }
    ::lchown(path("src/file").c_str(), 1000, 1001);
    ::chmod(path("src/file").c_str(), 04755);  // chown cleared setuid
    ::lchown(path("src/abs-link").c_str(), 7, 8);
    ::mknod(path("src/null").c_str(), S_IFCHR | 0666, makedev(1, 3));
    ::mkfifo(path("src/fifo").c_str(), 0600);
    const bool xattrs = ::setxattr(path("src/dir/sub/deep").c_str(), "user.rkt", "v", 1, 0) == 0;
    auto r = copyTree(path("src"), path("dst"));
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(uid_t{1000}, lst("dst/file").st_uid);
    CPPUNIT_ASSERT_EQUAL(gid_t{1001}, lst("dst/file").st_gid);
    CPPUNIT_ASSERT_EQUAL(mode_t{04755}, lst("dst/file").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(uid_t{7}, lst("dst/abs-link").st_uid);
    CPPUNIT_ASSERT(S_ISCHR(lst("dst/null").st_mode));
    CPPUNIT_ASSERT_EQUAL(makedev(1, 3), lst("dst/null").st_rdev);
    CPPUNIT_ASSERT(S_ISFIFO(lst("dst/fifo").st_mode));
    if (xattrs) {
      char v[8] = {};
      CPPUNIT_ASSERT_EQUAL(ssize_t{1},
                           ::getxattr(path("dst/dir/sub/deep").c_str(), "user.rkt", v, sizeof v));
      CPPUNIT_ASSERT_EQUAL('v', v[0]);
    }
  }

  // Files are created with their final mode where the umask allows it; what it strips, and the
  // group a setgid destination would impose, are still set right.
  void keepsModesTheUmaskWouldStripAndGroupsUnderSetgid() {
    write("src/open", "o", 0666);
    write("src/exec", "x", 0777);
    write("src/plain", "p", 0644);
    const mode_t old = ::umask(022);
    fs::create_directories(path("sg"));
    const bool root = ::geteuid() == 0;
    if (root) {
      CPPUNIT_ASSERT_EQUAL(0, ::chown(path("sg").c_str(), 0, 4242));
      ::lchown(path("src/plain").c_str(), 0, ::getegid());
    }
    CPPUNIT_ASSERT_EQUAL(0, ::chmod(path("sg").c_str(), 02775));
    auto r = copyTree(path("src"), path("sg/dst"));
    ::umask(old);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(mode_t{0666}, lst("sg/dst/open").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{0777}, lst("sg/dst/exec").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{0644}, lst("sg/dst/plain").st_mode & 07777);
    CPPUNIT_ASSERT_EQUAL(mode_t{04755}, lst("sg/dst/file").st_mode & 07777);
    if (root) {
      CPPUNIT_ASSERT_EQUAL(lst("src/plain").st_gid, lst("sg/dst/plain").st_gid);
      CPPUNIT_ASSERT_EQUAL(lst("src/dir/sub/deep").st_gid, lst("sg/dst/dir/sub/deep").st_gid);
    }
  }

  void refusesExistingDestination() {
    fs::create_directories(path("dst"));
    CPPUNIT_ASSERT(!copyTree(path("src"), path("dst")).ok());
    CPPUNIT_ASSERT(!copyTree(path("src/file"), path("dst2")).ok());
    CPPUNIT_ASSERT(!copyTree(path("missing"), path("dst3")).ok());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CopyTreeTest);
