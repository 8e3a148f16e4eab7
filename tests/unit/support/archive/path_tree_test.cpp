// PathTree: a tree of path components whose memory grows with the components, not with the
// square of a path's depth.
#include <rkt/support/archive/path_tree.hpp>

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using rkt::archive::PathTree;

class ArchivePathTreeTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArchivePathTreeTest);
  CPPUNIT_TEST(addFindAndTags);
  CPPUNIT_TEST(pathsAndComponents);
  CPPUNIT_TEST(deepChainCostsOneNodePerLevel);
  CPPUNIT_TEST_SUITE_END();

 public:
  void addFindAndTags() {
    PathTree t;
    CPPUNIT_ASSERT_EQUAL(std::size_t{0}, t.size());
    bool created = false;
    PathTree::Id a = t.add(PathTree::kRoot, "a", 1, &created);
    CPPUNIT_ASSERT(created);
    PathTree::Id b = t.add(a, "b", 2, &created);
    CPPUNIT_ASSERT(created);
    CPPUNIT_ASSERT_EQUAL(a, t.add(PathTree::kRoot, "a", 7, &created));
    CPPUNIT_ASSERT(!created);
    CPPUNIT_ASSERT_EQUAL(std::uint8_t{1}, t.tag(a));  // an existing node keeps its tag
    CPPUNIT_ASSERT_EQUAL(b, t.find(a, "b"));
    CPPUNIT_ASSERT_EQUAL(PathTree::kNone, t.find(PathTree::kRoot, "b"));  // per parent
    CPPUNIT_ASSERT_EQUAL(PathTree::kNone, t.find(a, "bb"));
    CPPUNIT_ASSERT_EQUAL(a, t.parent(b));
    t.setTag(b, 9);
    CPPUNIT_ASSERT_EQUAL(std::uint8_t{9}, t.tag(b));
    // Same name under different parents: different nodes.
    PathTree::Id ab = t.add(b, "a", 0);
    CPPUNIT_ASSERT(ab != a);
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, t.size());
  }

  void pathsAndComponents() {
    PathTree t;
    PathTree::Id node = PathTree::kRoot;
    for (const char* c : {"rootfs", "usr", "bin", "sh"})
      node = t.add(node, c, 0);
    CPPUNIT_ASSERT_EQUAL(std::string("rootfs/usr/bin/sh"), t.pathOf(node));
    CPPUNIT_ASSERT_EQUAL(std::string(""), t.pathOf(PathTree::kRoot));
    CPPUNIT_ASSERT_EQUAL(node, t.findPath("rootfs/usr/bin/sh"));
    CPPUNIT_ASSERT_EQUAL(PathTree::kRoot, t.findPath(""));
    CPPUNIT_ASSERT_EQUAL(PathTree::kNone, t.findPath("rootfs/usr/sbin"));
    CPPUNIT_ASSERT_EQUAL(PathTree::kNone, t.findPath("rootfs/usr/bin/sh/x"));
    std::vector<std::string> seen;
    std::vector<bool> last;
    rkt::archive::forEachComponent("a/bc/d", [&](std::string_view c, bool isLast) {
      seen.emplace_back(c);
      last.push_back(isLast);
      return true;
    });
    CPPUNIT_ASSERT((seen == std::vector<std::string>{"a", "bc", "d"}));
    CPPUNIT_ASSERT((last == std::vector<bool>{false, false, true}));
    CPPUNIT_ASSERT(!rkt::archive::forEachComponent("a/b", [](std::string_view, bool) {
      return false;  // stops at once
    }));
  }

  // 200,000 levels: as full prefix strings that would be 40 GB; as components, 200,000 nodes
  // of one byte each.
  void deepChainCostsOneNodePerLevel() {
    PathTree t;
    PathTree::Id node = PathTree::kRoot;
    constexpr std::size_t kDepth = 200000;
    for (std::size_t i = 0; i < kDepth; ++i)
      node = t.add(node, "d", 0);
    CPPUNIT_ASSERT_EQUAL(kDepth, t.size());
    const std::string path = t.pathOf(node);
    CPPUNIT_ASSERT_EQUAL(2 * kDepth - 1, path.size());
    CPPUNIT_ASSERT_EQUAL(node, t.findPath(path));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArchivePathTreeTest);
