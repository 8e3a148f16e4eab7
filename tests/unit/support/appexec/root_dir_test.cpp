// appexec::RootDir on its own: path resolution inside a rootfs whose symlinks try to leave it,
// loops, and directories and files created through links.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>

#include "core/config/temp_tree.hpp"  // a scratch directory tree
#include "rkt/sdk/error.hpp"
#include "rkt/support/appexec/root_dir.hpp"

using rkt::appexec::RootDir;
using rkt::test::TempTree;

namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found;
}

}  // namespace

class AppexecRootDirTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppexecRootDirTest);
  CPPUNIT_TEST(resolveStaysInsideTheRoot);
  CPPUNIT_TEST(resolveFollowsLinksLikeAChroot);
  CPPUNIT_TEST(resolveRefusesSymlinkLoops);
  CPPUNIT_TEST(mkdirAllAndCreateFileThroughLinks);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    rootDir_ = std::make_unique<TempTree>();
    outsideDir_ = std::make_unique<TempTree>();
    root_ = rootDir_->path();
    outside_ = outsideDir_->path();
    rootDir_->write("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    rootDir_->mkdir("bin");
    link("/etc", "/l-abs");                       // absolute
    link("../bin", "/etc/l-rel");                 // relative, inside
    link("../../../../../../../../..", "/l-up");  // climbs far above the root
    link(outside_, "/l-out");                     // a host path, absolute
    link("/missing/dir/file", "/l-dangling");     // nothing there yet
    link("l-loop2", "/l-loop1");
    link("l-loop1", "/l-loop2");
  }

  void tearDown() override {
    rootDir_.reset();
    outsideDir_.reset();
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

 private:
  void link(const std::string& target, const std::string& at) {
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(target.c_str(), (root_ + at).c_str()));
  }

  std::unique_ptr<TempTree> rootDir_;
  std::unique_ptr<TempTree> outsideDir_;
  std::string root_;
  std::string outside_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(AppexecRootDirTest);
