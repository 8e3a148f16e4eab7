#include <cppunit/extensions/HelperMacros.h>

#include "pod/mounts.hpp"

using rkt::pod::mounts::MountInfo;

namespace {

const char kTable[] =
    "22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw\n"
    "27 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
    "40 27 0:40 / /var/lib/rkt/pods/run/u1/stage1/rootfs rw shared:30 master:2 - overlay overlay "
    "rw,lowerdir=/a\n"
    "41 40 0:41 / /var/lib/rkt/pods/run/u1/stage1/rootfs/dev rw - devtmpfs devtmpfs rw\n"
    "42 41 0:42 / /var/lib/rkt/pods/run/u1/stage1/rootfs/dev/pts rw - devpts devpts rw\n"
    "43 40 0:43 / /var/lib/rkt/pods/run/u1/stage1/rootfs/tmp rw - tmpfs tmpfs rw\n"
    "44 43 0:44 / /var/lib/rkt/pods/run/u1/stage1/rootfs/tmp rw - tmpfs tmpfs rw\n"
    "45 27 0:45 / /var/lib/rkt/pods/run/u10/x rw - tmpfs tmpfs rw\n"
    "46 40 0:46 /dir\\040with\\040space /var/lib/rkt/pods/run/u1/stage1/rootfs/my\\040vol\\134x rw "
    "- tmpfs tmp\\040fs rw\n";

}  // namespace

class PodMountInfoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PodMountInfoTest);
  CPPUNIT_TEST(parsesFields);
  CPPUNIT_TEST(unescapesOctal);
  CPPUNIT_TEST(rejectsMalformedLines);
  CPPUNIT_TEST(comparesWholeComponents);
  CPPUNIT_TEST(ordersDeepestAndNewestFirst);
  CPPUNIT_TEST(readsOwnMountTable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesFields() {
    rkt::Result<std::vector<MountInfo>> t = rkt::pod::mounts::parseMountInfo(kTable);
    CPPUNIT_ASSERT(t.ok());
    CPPUNIT_ASSERT_EQUAL(size_t(9), t->size());
    const MountInfo& m = (*t)[2];
    CPPUNIT_ASSERT_EQUAL(40, m.id);
    CPPUNIT_ASSERT_EQUAL(27, m.parentId);
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rkt/pods/run/u1/stage1/rootfs"), m.mountPoint);
    CPPUNIT_ASSERT_EQUAL(std::string("shared:30 master:2"), m.optional);
    CPPUNIT_ASSERT_EQUAL(std::string("overlay"), m.fsType);
    CPPUNIT_ASSERT_EQUAL(std::string("overlay"), m.source);
    CPPUNIT_ASSERT_EQUAL(std::string(""), (*t)[3].optional);
  }

  void unescapesOctal() {
    rkt::Result<std::vector<MountInfo>> t = rkt::pod::mounts::parseMountInfo(kTable);
    const MountInfo& m = (*t)[8];
    CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rkt/pods/run/u1/stage1/rootfs/my vol\\x"),
                         m.mountPoint);
    CPPUNIT_ASSERT_EQUAL(std::string("/dir with space"), m.root);
    CPPUNIT_ASSERT_EQUAL(std::string("tmp fs"), m.source);
    CPPUNIT_ASSERT_EQUAL(std::string("a\tb\nc"), rkt::pod::mounts::unescape("a\\011b\\012c"));
    // Not an escape: kept as is.
    CPPUNIT_ASSERT_EQUAL(std::string("a\\9b\\04"), rkt::pod::mounts::unescape("a\\9b\\04"));
  }

  void rejectsMalformedLines() {
    for (const char* bad : {"22 27 0:21 / /proc rw\n", "x 27 0:21 / /proc rw - proc proc rw\n",
                            "22 27 0:21 / /proc rw - proc\n"}) {
      rkt::Result<std::vector<MountInfo>> t = rkt::pod::mounts::parseMountInfo(bad);
      CPPUNIT_ASSERT_MESSAGE(bad, !t.ok());
      CPPUNIT_ASSERT(t.error().message.find("cannot parse mountinfo line 1") == 0);
    }
    CPPUNIT_ASSERT(rkt::pod::mounts::parseMountInfo("")->empty());
  }

  void comparesWholeComponents() {
    using rkt::pod::mounts::isAtOrBelow;
    CPPUNIT_ASSERT(isAtOrBelow("/a/b", "/a/b"));
    CPPUNIT_ASSERT(isAtOrBelow("/a/b/c", "/a/b"));
    CPPUNIT_ASSERT(isAtOrBelow("/a/b/c", "/a/b/"));
    CPPUNIT_ASSERT(!isAtOrBelow("/a/bc", "/a/b"));
    CPPUNIT_ASSERT(!isAtOrBelow("/a", "/a/b"));
    CPPUNIT_ASSERT(!isAtOrBelow("/", "/a/b"));
    CPPUNIT_ASSERT(isAtOrBelow("/anything", "/"));
  }

  void ordersDeepestAndNewestFirst() {
    rkt::Result<std::vector<MountInfo>> t = rkt::pod::mounts::parseMountInfo(kTable);
    std::vector<MountInfo> below = rkt::pod::mounts::mountsBelow(*t, "/var/lib/rkt/pods/run/u1");
    std::string ids;
    for (const MountInfo& m : below)
      ids += std::to_string(m.id) + " ";
    // dev/pts first; the two stacked /tmp mounts newest (44) first; the rootfs last; u10 and
    // everything outside the pod never.
    CPPUNIT_ASSERT_EQUAL(std::string("42 46 44 43 41 40 "), ids);
    CPPUNIT_ASSERT(rkt::pod::mounts::mountsBelow(*t, "/var/lib/rkt/pods/run/u2").empty());
  }

  void readsOwnMountTable() {
    rkt::Result<std::vector<MountInfo>> t = rkt::pod::mounts::readMountInfo();
    CPPUNIT_ASSERT(t.ok());
    bool root = false;
    for (const MountInfo& m : *t)
      root = root || m.mountPoint == "/";
    CPPUNIT_ASSERT(root);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PodMountInfoTest);
