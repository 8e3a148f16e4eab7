// Layer trees in overlayfs' form (support/posix overlay_layers.hpp): the lookup through a stack
// and the merge of a stack into one tree, as overlayfs shows it (whiteouts, opaque directories,
// a file over a directory, links within a layer). Needs root for the whiteout devices and the
// trusted.* xattr; skipped otherwise.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "rkt/support/posix/overlay_layers.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace {

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string readText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

class OverlayLayersTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OverlayLayersTest);
  CPPUNIT_TEST(findHonoursWhiteoutsAndOpaqueDirectories);
  CPPUNIT_TEST(mergeShowsWhatOverlayfsShows);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    std::string tmpl = "/tmp/rkt-overlay-layers-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    base_ = tmpl;
    lower_ = base_ + "/lower";
    upper_ = base_ + "/upper";
    // lower: a/{x,y}, gone/file, opq/old, dir/inner, hl/{one,two} (one inode)
    for (const char* d : {"", "/a", "/gone", "/opq", "/dir", "/hl"})
      ::mkdir((lower_ + d).c_str(), 0755);
    writeText(lower_ + "/a/x", "lower x");
    writeText(lower_ + "/a/y", "lower y");
    writeText(lower_ + "/gone/file", "gone");
    writeText(lower_ + "/opq/old", "hidden");
    writeText(lower_ + "/dir/inner", "under a replaced directory");
    writeText(lower_ + "/hl/one", "linked");
    ::link((lower_ + "/hl/one").c_str(), (lower_ + "/hl/two").c_str());
    // upper: a/x replaced, whiteout `gone`, opaque `opq` with new, `dir` a file now
    for (const char* d : {"", "/a", "/opq"})
      ::mkdir((upper_ + d).c_str(), 0755);
    writeText(upper_ + "/a/x", "upper x");
    root_ = ::geteuid() == 0;
    if (root_) {
      ::mknod((upper_ + "/gone").c_str(), S_IFCHR, makedev(0, 0));
      ::lsetxattr((upper_ + "/opq").c_str(), rkt::posix::kOverlayOpaqueXattr, "y", 1, 0);
    }
    writeText(upper_ + "/opq/new", "new");
    writeText(upper_ + "/dir", "a file now");
  }

  void tearDown() override { (void)rkt::posix::removeTree(base_); }

  void findHonoursWhiteoutsAndOpaqueDirectories() {
    if (!root_)
      return;  // whiteout devices and trusted.* need root
    using rkt::posix::findInLayers;
    const std::vector<std::string> stack{upper_, lower_};
    CPPUNIT_ASSERT_EQUAL(upper_ + "/a/x", findInLayers(stack, "a/x").value_or(""));
    CPPUNIT_ASSERT_EQUAL(lower_ + "/a/y", findInLayers(stack, "a/y").value_or(""));
    CPPUNIT_ASSERT(!findInLayers(stack, "gone/file"));
    CPPUNIT_ASSERT(!findInLayers(stack, "gone"));
    CPPUNIT_ASSERT(!findInLayers(stack, "opq/old"));
    CPPUNIT_ASSERT_EQUAL(upper_ + "/opq/new", findInLayers(stack, "opq/new").value_or(""));
    CPPUNIT_ASSERT(!findInLayers(stack, "dir/inner"));
    CPPUNIT_ASSERT(!findInLayers(stack, "nowhere"));
  }

  void mergeShowsWhatOverlayfsShows() {
    if (!root_)
      return;
    const std::string out = base_ + "/merged";
    ::mkdir(out.c_str(), 0755);
    rkt::Status s = rkt::posix::mergeLayers({upper_, lower_}, out);
    CPPUNIT_ASSERT_MESSAGE(s ? "" : s.error().message, static_cast<bool>(s));
    CPPUNIT_ASSERT_EQUAL(std::string("upper x"), readText(out + "/a/x"));
    CPPUNIT_ASSERT_EQUAL(std::string("lower y"), readText(out + "/a/y"));
    CPPUNIT_ASSERT(!exists(out + "/gone"));
    CPPUNIT_ASSERT(!exists(out + "/opq/old"));
    CPPUNIT_ASSERT_EQUAL(std::string("new"), readText(out + "/opq/new"));
    CPPUNIT_ASSERT_EQUAL(std::string("a file now"), readText(out + "/dir"));
    struct stat one {
    }, two{};
    CPPUNIT_ASSERT(::lstat((out + "/hl/one").c_str(), &one) == 0);
    CPPUNIT_ASSERT(::lstat((out + "/hl/two").c_str(), &two) == 0);
    CPPUNIT_ASSERT_EQUAL(one.st_ino, two.st_ino);  // a link within a layer stays a link
    char value[2] = {};
    CPPUNIT_ASSERT(::lgetxattr((out + "/opq").c_str(), rkt::posix::kOverlayOpaqueXattr, value,
                               sizeof value) < 0);  // overlayfs' own xattrs stay in the layers
  }

 private:
  std::string base_, lower_, upper_;
  bool root_ = false;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OverlayLayersTest);
