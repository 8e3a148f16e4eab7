// The tree store: dependency order, upper wins, pathWhitelist, tree IDs, the tree hash, verify,
// remove, and what killed renders leave behind.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "aci_test_util.hpp"
#include "dep_list.hpp"
#include "hash_util.hpp"
#include "tree_hash.hpp"
#include "tree_store.hpp"

namespace rkt::cas::test {
namespace {

template <class Fn>
void expectError(Fn&& fn, rkt_status code, const std::string& text) {
  try {
    fn();
  } catch (const Error& e) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(e.what(), static_cast<int>(code), static_cast<int>(e.code()));
    CPPUNIT_ASSERT_MESSAGE(std::string("message: ") + e.what(),
                           std::string(e.what()).find(text) != std::string::npos);
    return;
  }
  CPPUNIT_FAIL("expected an error containing: " + text);
}

// A→[B,C], C→[D] (the rkt-notes §4.7 example). Every image has /etc/origin and files shared
// with some of the others, so the rendered content shows who won.
struct Chain {
  std::string a, b, c, d;
};

Chain importChain(CasStore& store, const std::string& dir) {
  Chain k;
  k.d = importTar(store, dir, "d",
                  AciBuilder(aciManifest("example.com/d"))
                      .dir("etc")
                      .file("etc/origin", "d")
                      .file("etc/bd", "d")
                      .file("etc/cd", "d")
                      .file("etc/d-only", "d")
                      .finish());
  k.b = importTar(store, dir, "b",
                  AciBuilder(aciManifest("example.com/b"))
                      .dir("etc")
                      .file("etc/origin", "b")
                      .file("etc/bd", "b")
                      .file("etc/bc", "b")
                      .file("etc/b-only", "b")
                      .finish());
  k.c =
      importTar(store, dir, "c",
                AciBuilder(aciManifest("example.com/c", "1.0.0", {{"example.com/d", "1.0.0", ""}}))
                    .dir("etc")
                    .file("etc/origin", "c")
                    .file("etc/cd", "c")
                    .file("etc/bc", "c")
                    .finish());
  k.a = importTar(
      store, dir, "a",
      AciBuilder(aciManifest("example.com/a", "1.0.0",
                             {{"example.com/b", "", k.b}, {"example.com/c", "1.0.0", ""}}))
          .dir("etc")
          .file("etc/origin", "a")
          .finish());
  return k;
}

std::string rootfs(const RenderedTree& t) {
  return t.path + "/rootfs";
}

}  // namespace
}  // namespace rkt::cas::test

using namespace rkt::cas;
using namespace rkt::cas::test;

class CasTreeStoreTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasTreeStoreTest);
  CPPUNIT_TEST(dependencyOrderIsDepthFirstLaterFirst);
  CPPUNIT_TEST(treeIdHashesTheKeysInListOrder);
  CPPUNIT_TEST(renderUpperWins);
  CPPUNIT_TEST(renderSkipsBelowUpperNonDirectory);
  CPPUNIT_TEST(ownPathWhitelistKeepsDirectories);
  CPPUNIT_TEST(upperPathWhitelistFiltersEverything);
  CPPUNIT_TEST(siblingWhitelistDoesNotFilter);
  CPPUNIT_TEST(missingDependencyIsNamed);
  CPPUNIT_TEST(dependencyCycleIsRefused);
  CPPUNIT_TEST(renderReusesCompleteTree);
  CPPUNIT_TEST(renderRecordsMarkersAndSize);
  CPPUNIT_TEST(treeHashIsStable);
  CPPUNIT_TEST(renderHashFromDigestsEqualsReadBack);
  CPPUNIT_TEST(treeHashSeesContentNotHoles);
  CPPUNIT_TEST(treeHashDetectsChanges);
  CPPUNIT_TEST(verifyRebuildsDamagedTree);
  CPPUNIT_TEST(verifyReportsNotRendered);
  CPPUNIT_TEST(removeTreeDeletesAndResetsSize);
  CPPUNIT_TEST(corruptBlobFailsRenderWithoutTree);
  CPPUNIT_TEST(incompleteTreeIsNeverUsedAndSwept);
  CPPUNIT_TEST(killedRenderLeavesNoRenderedHalfTree);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<ScratchDir>();
    store_ = std::make_unique<CasStore>(dir_->cas());
    trees_ = std::make_unique<TreeStore>(*store_);
  }
  void tearDown() override {
    trees_.reset();
    store_.reset();
    dir_.reset();
  }

  void dependencyOrderIsDepthFirstLaterFirst() {
    Chain k = importChain(*store_, dir_->path());
    auto list = dependencyList(*store_, k.a);
    CPPUNIT_ASSERT_EQUAL(size_t{4}, list.size());
    CPPUNIT_ASSERT_EQUAL(k.a, list[0].key);
    CPPUNIT_ASSERT_EQUAL(k.c, list[1].key);
    CPPUNIT_ASSERT_EQUAL(k.d, list[2].key);
    CPPUNIT_ASSERT_EQUAL(k.b, list[3].key);
    CPPUNIT_ASSERT_EQUAL(0, list[0].level);
    CPPUNIT_ASSERT_EQUAL(1, list[1].level);
    CPPUNIT_ASSERT_EQUAL(2, list[2].level);
    CPPUNIT_ASSERT_EQUAL(1, list[3].level);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, list[2].parent);
    CPPUNIT_ASSERT_EQUAL(size_t{0}, list[3].parent);
  }

  void treeIdHashesTheKeysInListOrder() {
    // sha512Key is SHA-512 (FIPS 180-2 test vector "abc"), whatever library computes it: tree
    // IDs recorded by earlier builds must still be found.
    CPPUNIT_ASSERT_EQUAL(
        std::string("sha512-ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"),
        sha512Key("abc"));
    Chain k = importChain(*store_, dir_->path());
    std::string expected = "deps-" + sha512Key(k.a + "," + k.c + "," + k.d + "," + k.b);
    CPPUNIT_ASSERT_EQUAL(expected, trees_->treeId(k.a));
    CPPUNIT_ASSERT_EQUAL("deps-" + sha512Key(k.b), trees_->treeId(k.b));
    // A name-based dependency that now resolves to another image gives another tree.
    importTar(*store_, dir_->path(), "d2",
              AciBuilder(aciManifest("example.com/d", "1.0.0")).file("other", "x").finish());
    CPPUNIT_ASSERT(expected != trees_->treeId(k.a));
  }

  void renderUpperWins() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    CPPUNIT_ASSERT(!t.reused);
    CPPUNIT_ASSERT_EQUAL(trees_->treeId(k.a), t.treeId);
    CPPUNIT_ASSERT_EQUAL(dir_->cas() + "/tree/" + t.treeId, t.path);
    std::string etc = rootfs(t) + "/etc/";
    CPPUNIT_ASSERT_EQUAL(std::string("a"), contentOr(etc + "origin"));
    CPPUNIT_ASSERT_EQUAL(std::string("c"), contentOr(etc + "bc"));  // C before B
    CPPUNIT_ASSERT_EQUAL(std::string("c"), contentOr(etc + "cd"));
    CPPUNIT_ASSERT_EQUAL(std::string("d"), contentOr(etc + "bd"));  // D (below C) before B
    CPPUNIT_ASSERT_EQUAL(std::string("b"), contentOr(etc + "b-only"));
    CPPUNIT_ASSERT_EQUAL(std::string("d"), contentOr(etc + "d-only"));
    // Only the top image's manifest.
    CPPUNIT_ASSERT(slurp(t.path + "/manifest").find("example.com/a") != std::string::npos);
  }

  void renderSkipsBelowUpperNonDirectory() {
    std::string lower = importTar(*store_, dir_->path(), "lower",
                                  AciBuilder(aciManifest("example.com/lower"))
                                      .dir("lib")
                                      .file("lib/x", "lower")
                                      .dir("data")
                                      .file("data/y", "lower")
                                      .file("conf", "lower-file")
                                      .finish());
    std::string top = importTar(
        *store_, dir_->path(), "top",
        AciBuilder(aciManifest("example.com/top", "1.0.0", {{"example.com/lower", "", lower}}))
            .symlink("lib", "/usr/lib")
            .file("data", "top-file")
            .dir("conf")
            .file("conf/z", "top")
            .finish());
    RenderedTree t = trees_->render(top, false);
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::lstat((rootfs(t) + "/lib").c_str(), &st));
    CPPUNIT_ASSERT(S_ISLNK(st.st_mode));
    CPPUNIT_ASSERT_EQUAL(0, ::lstat((rootfs(t) + "/data").c_str(), &st));
    CPPUNIT_ASSERT(S_ISREG(st.st_mode));
    CPPUNIT_ASSERT_EQUAL(std::string("top-file"), slurp(rootfs(t) + "/data"));
    CPPUNIT_ASSERT_EQUAL(0, ::lstat((rootfs(t) + "/conf").c_str(), &st));
    CPPUNIT_ASSERT(S_ISDIR(st.st_mode));
    CPPUNIT_ASSERT_EQUAL(std::string("top"), slurp(rootfs(t) + "/conf/z"));
  }

  void ownPathWhitelistKeepsDirectories() {
    std::string img = importTar(*store_, dir_->path(), "wl",
                                AciBuilder(aciManifest("example.com/wl", "1.0.0", {}, {"/keep"}))
                                    .file("keep", "k")
                                    .file("drop", "d")
                                    .dir("emptydir")
                                    .dir("sub")
                                    .file("sub/drop", "d")
                                    .finish());
    RenderedTree t = trees_->render(img, false);
    CPPUNIT_ASSERT_EQUAL(std::string("k"), contentOr(rootfs(t) + "/keep"));
    CPPUNIT_ASSERT(!exists(rootfs(t) + "/drop"));
    CPPUNIT_ASSERT(!exists(rootfs(t) + "/sub/drop"));
    CPPUNIT_ASSERT(exists(rootfs(t) + "/emptydir"));
    CPPUNIT_ASSERT(exists(rootfs(t) + "/sub"));
  }

  void upperPathWhitelistFiltersEverything() {
    // base <- mid (whitelist) <- top (whitelist): each whitelist filters what is below it.
    std::string base = importTar(*store_, dir_->path(), "base",
                                 AciBuilder(aciManifest("example.com/base"))
                                     .dir("shared")
                                     .file("shared/x", "base")
                                     .file("shared/y", "base")
                                     .dir("unlisted")
                                     .file("unlisted/z", "base")
                                     .file("mid-drops", "base")
                                     .finish());
    std::string mid = importTar(
        *store_, dir_->path(), "mid",
        AciBuilder(aciManifest("example.com/mid", "1.0.0", {{"example.com/base", "", base}},
                               {"/shared", "/shared/x", "/mid-file", "/top-drops"}))
            .file("mid-file", "mid")
            .file("top-drops", "mid")
            .file("mid-unlisted", "mid")
            .finish());
    std::string top =
        importTar(*store_, dir_->path(), "top",
                  AciBuilder(aciManifest("example.com/top", "1.0.0", {{"example.com/mid", "", mid}},
                                         {"/shared", "/shared/x", "/mid-file", "/unlisted",
                                          "/unlisted/z", "/mid-drops"}))
                      .finish());
    RenderedTree t = trees_->render(top, false);
    CPPUNIT_ASSERT_EQUAL(std::string("base"), contentOr(rootfs(t) + "/shared/x"));
    CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), contentOr(rootfs(t) + "/shared/y"));
    CPPUNIT_ASSERT_EQUAL(std::string("mid"), contentOr(rootfs(t) + "/mid-file"));
    CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), contentOr(rootfs(t) + "/mid-unlisted"));
    // Listed by top but not by mid: mid's whitelist removes it from base.
    CPPUNIT_ASSERT(!exists(rootfs(t) + "/unlisted"));
    CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), contentOr(rootfs(t) + "/mid-drops"));
    // Listed by mid but not by top: top's whitelist removes it from mid.
    CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), contentOr(rootfs(t) + "/top-drops"));
  }

  void siblingWhitelistDoesNotFilter() {
    // A→[B,C], C has a whitelist: it filters C (and its dependencies), never B.
    std::string b = importTar(
        *store_, dir_->path(), "b",
        AciBuilder(aciManifest("example.com/b")).dir("bdir").file("bdir/file", "b").finish());
    std::string d = importTar(*store_, dir_->path(), "d",
                              AciBuilder(aciManifest("example.com/d"))
                                  .file("d-listed", "d")
                                  .file("d-unlisted", "d")
                                  .finish());
    std::string c =
        importTar(*store_, dir_->path(), "c",
                  AciBuilder(aciManifest("example.com/c", "1.0.0", {{"example.com/d", "", d}},
                                         {"/d-listed", "/c-file"}))
                      .file("c-file", "c")
                      .finish());
    std::string a =
        importTar(*store_, dir_->path(), "a",
                  AciBuilder(aciManifest("example.com/a", "1.0.0",
                                         {{"example.com/b", "", b}, {"example.com/c", "", c}}))
                      .finish());
    RenderedTree t = trees_->render(a, false);
    CPPUNIT_ASSERT_EQUAL(std::string("b"), contentOr(rootfs(t) + "/bdir/file"));
    CPPUNIT_ASSERT_EQUAL(std::string("c"), contentOr(rootfs(t) + "/c-file"));
    CPPUNIT_ASSERT_EQUAL(std::string("d"), contentOr(rootfs(t) + "/d-listed"));
    CPPUNIT_ASSERT(!exists(rootfs(t) + "/d-unlisted"));
  }

  void missingDependencyIsNamed() {
    std::string a = importTar(
        *store_, dir_->path(), "a",
        AciBuilder(aciManifest("example.com/a", "1.0.0", {{"example.com/nowhere", "2.0.0", ""}}))
            .finish());
    expectError([&] { trees_->render(a, false); }, RKT_E_NOT_FOUND, "`example.com/nowhere`");
    expectError([&] { trees_->render(a, false); }, RKT_E_NOT_FOUND, "version=2.0.0");
    CPPUNIT_ASSERT(entries(dir_->cas() + "/tree").empty());
    std::string byId = importTar(
        *store_, dir_->path(), "byid",
        AciBuilder(aciManifest("example.com/byid", "1.0.0",
                               {{"example.com/gone", "", "sha512-" + std::string(64, 'e')}}))
            .finish());
    expectError([&] { trees_->render(byId, false); }, RKT_E_NOT_FOUND, "`example.com/gone`");
  }

  void dependencyCycleIsRefused() {
    std::string x = importTar(
        *store_, dir_->path(), "x",
        AciBuilder(aciManifest("example.com/x", "1.0.0", {{"example.com/y", "", ""}})).finish());
    importTar(
        *store_, dir_->path(), "y",
        AciBuilder(aciManifest("example.com/y", "1.0.0", {{"example.com/x", "", ""}})).finish());
    expectError([&] { trees_->render(x, false); }, RKT_E_INVALID, "cycle");
  }

  void renderReusesCompleteTree() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree first = trees_->render(k.a, false);
    writeFile(rootfs(first) + "/etc/marker", "left alone");
    RenderedTree again = trees_->render(k.a, false);
    CPPUNIT_ASSERT(again.reused);
    CPPUNIT_ASSERT_EQUAL(first.treeId, again.treeId);
    CPPUNIT_ASSERT(exists(rootfs(again) + "/etc/marker"));
    RenderedTree rebuilt = trees_->render(k.a, true);
    CPPUNIT_ASSERT(!rebuilt.reused);
    CPPUNIT_ASSERT(!exists(rootfs(rebuilt) + "/etc/marker"));
    CPPUNIT_ASSERT_EQUAL(std::string("a"), contentOr(rootfs(rebuilt) + "/etc/origin"));
  }

  void renderRecordsMarkersAndSize() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    CPPUNIT_ASSERT(exists(t.path + "/rendered"));
    CPPUNIT_ASSERT_EQUAL(k.a, slurp(t.path + "/image"));
    CPPUNIT_ASSERT_EQUAL(hashTree(t.path).hash, slurp(t.path + "/hash"));
    CPPUNIT_ASSERT_EQUAL(0755, modeOf(t.path));
    auto info = store_->info(k.a);
    CPPUNIT_ASSERT(info);
    CPPUNIT_ASSERT(info->treeStoreSize > 0);
    auto trees = trees_->list();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, trees.size());
    CPPUNIT_ASSERT_EQUAL(t.treeId, trees[0].treeId);
    CPPUNIT_ASSERT_EQUAL(k.a, trees[0].key);
    CPPUNIT_ASSERT_EQUAL(t.path, trees[0].path);
    CPPUNIT_ASSERT_EQUAL(info->treeStoreSize, trees[0].size);
  }

  // A render hashes the tree from the digests its extraction computed; reading every file back
  // (what verify does) must give the same hash, hard links, empty and large files included, and
  // with a file that is both in an upper and a lower image.
  void renderHashFromDigestsEqualsReadBack() {
    std::string big(3 << 20, '\0');
    for (size_t i = 0; i < big.size(); i += 4093) {
      big[i] = static_cast<char>('a' + i % 26);
    }
    std::string lower = importTar(*store_, dir_->path(), "lower",
                                  AciBuilder(aciManifest("example.com/lower"))
                                      .dir("usr")
                                      .file("usr/shared", "lower")
                                      .file("usr/lower-only", big)
                                      .finish());
    std::string top = importTar(
        *store_, dir_->path(), "top",
        AciBuilder(aciManifest("example.com/top", "1.0.0", {{"example.com/lower", "", ""}}))
            .dir("usr")
            .file("usr/shared", "top")
            .file("usr/empty", "")
            .file("usr/big", big, 0755)
            .hardlink("usr/big-link", "usr/big")
            .hardlink("usr/a-link-first", "usr/empty")
            .symlink("usr/sym", "big")
            .finish());
    RenderedTree t = trees_->render(top, false);
    CPPUNIT_ASSERT_EQUAL(std::string("top"), slurp(rootfs(t) + "/usr/shared"));
    CPPUNIT_ASSERT_EQUAL(hashTree(t.path).hash, slurp(t.path + "/hash"));
    CPPUNIT_ASSERT(trees_->verify(top) == TreeStatus::kOk);
    (void)lower;
  }

  // A file with holes and the same file with its zeros written hash alike (the hash is of the
  // content), and one byte of difference in a hole shows; the read-back skips the holes of a
  // 1 TiB file (hashing its zeros would take far longer than this test may run).
  void treeHashSeesContentNotHoles() {
    auto makeTree = [&](const std::string& name, bool sparse, char inHole) {
      const std::string root = dir_->path() + "/" + name;
      CPPUNIT_ASSERT_EQUAL(0, ::mkdir(root.c_str(), 0755));
      CPPUNIT_ASSERT_EQUAL(0, ::mkdir((root + "/rootfs").c_str(), 0755));
      const std::string f = root + "/rootfs/file";
      const int fd = ::open(f.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      CPPUNIT_ASSERT(fd >= 0);
      const std::string data(5000, 'x');
      const off_t size = 300000;
      CPPUNIT_ASSERT_EQUAL(ssize_t{5000}, ::pwrite(fd, data.data(), data.size(), 100000));
      if (!sparse) {
        const std::string zeros(size, '\0');
        CPPUNIT_ASSERT_EQUAL(ssize_t{100000}, ::pwrite(fd, zeros.data(), 100000, 0));
        CPPUNIT_ASSERT_EQUAL(
            ssize_t{size - 105000},
            ::pwrite(fd, zeros.data(), static_cast<size_t>(size - 105000), 105000));
      }
      if (inHole != '\0') {
        CPPUNIT_ASSERT_EQUAL(ssize_t{1}, ::pwrite(fd, &inHole, 1, 200000));
      }
      CPPUNIT_ASSERT_EQUAL(0, ::ftruncate(fd, size));
      ::close(fd);
      const struct timespec times[2] = {{1, 0}, {1, 0}};
      CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, f.c_str(), times, 0));
      return root;
    };
    const std::string sparse = hashTree(makeTree("sparse", true, '\0')).hash;
    CPPUNIT_ASSERT_EQUAL(sparse, hashTree(makeTree("dense", false, '\0')).hash);
    CPPUNIT_ASSERT(sparse != hashTree(makeTree("one-more-byte", true, 'y')).hash);

    const std::string huge = dir_->path() + "/huge";
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(huge.c_str(), 0755));
    const int fd = ::open((huge + "/big").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    CPPUNIT_ASSERT(fd >= 0);
    CPPUNIT_ASSERT_EQUAL(0, ::ftruncate(fd, off_t{1} << 40));
    ::close(fd);
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-"), hashTree(huge).hash.substr(0, 7));
  }

  void treeHashIsStable() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    std::string h1 = hashTree(t.path).hash;
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-"), h1.substr(0, 7));
    CPPUNIT_ASSERT_EQUAL(size_t{71}, h1.size());
    CPPUNIT_ASSERT_EQUAL(h1, hashTree(t.path).hash);
    // Rendering again (new inodes, new times) and in another store gives the same hash.
    trees_->render(k.a, true);
    CPPUNIT_ASSERT_EQUAL(h1, hashTree(t.path).hash);
    ScratchDir other;
    CasStore store2(other.cas());
    TreeStore trees2(store2);
    Chain k2 = importChain(store2, other.path());
    CPPUNIT_ASSERT_EQUAL(k.a, k2.a);
    CPPUNIT_ASSERT_EQUAL(h1, hashTree(trees2.render(k2.a, false).path).hash);
    // Touching the marker files does not count.
    writeFile(t.path + "/image", "whatever");
    CPPUNIT_ASSERT_EQUAL(h1, hashTree(t.path).hash);
  }

  void treeHashDetectsChanges() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    std::string r = rootfs(t);
    std::string h = hashTree(t.path).hash;
    auto changed = [&](const char* what) {
      std::string now = hashTree(t.path).hash;
      CPPUNIT_ASSERT_MESSAGE(what, now != h);
      h = now;
    };
    writeFile(r + "/etc/origin", "A");
    changed("content");
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((r + "/etc/origin").c_str(), 0600));
    changed("mode");
    CPPUNIT_ASSERT_EQUAL(0, ::lchown((r + "/etc/origin").c_str(), 1, 1));
    changed("owner");
    writeFile(r + "/etc/new", "");
    changed("new file");
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((r + "/etc/new").c_str()));
    changed("removed file");
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("origin", (r + "/etc/link").c_str()));
    changed("symlink");
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((r + "/etc/link").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("bd", (r + "/etc/link").c_str()));
    changed("symlink target");
    CPPUNIT_ASSERT_EQUAL(0, ::link((r + "/etc/bd").c_str(), (r + "/etc/hard").c_str()));
    changed("hard link");
    CPPUNIT_ASSERT_EQUAL(0, ::rename((r + "/etc/b-only").c_str(), (r + "/etc/b-moved").c_str()));
    changed("rename");
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir((r + "/newdir").c_str(), 0755));
    changed("directory");
  }

  void verifyRebuildsDamagedTree() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    std::string id;
    CPPUNIT_ASSERT(trees_->verify(k.a, &id) == TreeStatus::kOk);
    CPPUNIT_ASSERT_EQUAL(t.treeId, id);
    writeFile(rootfs(t) + "/etc/origin", "tampered");
    CPPUNIT_ASSERT(trees_->verify(k.a) == TreeStatus::kRebuilt);
    CPPUNIT_ASSERT_EQUAL(std::string("a"), contentOr(rootfs(t) + "/etc/origin"));
    CPPUNIT_ASSERT(trees_->verify(k.a) == TreeStatus::kOk);
    CPPUNIT_ASSERT_EQUAL(std::string(treeStatusName(TreeStatus::kRebuilt)), std::string("rebuilt"));
  }

  void verifyReportsNotRendered() {
    Chain k = importChain(*store_, dir_->path());
    CPPUNIT_ASSERT(trees_->verify(k.a) == TreeStatus::kNotRendered);
    CPPUNIT_ASSERT(!exists(store_->treePath(trees_->treeId(k.a))));
    RenderedTree t = trees_->render(k.a, false);
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((t.path + "/hash").c_str()));
    CPPUNIT_ASSERT(trees_->verify(k.a) == TreeStatus::kNotRendered);
  }

  void removeTreeDeletesAndResetsSize() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    // Read-only directories and files inside do not stop the removal.
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((rootfs(t) + "/etc").c_str(), 0555));
    trees_->remove(t.treeId);
    CPPUNIT_ASSERT(!exists(t.path));
    CPPUNIT_ASSERT(trees_->list().empty());
    CPPUNIT_ASSERT_EQUAL(int64_t{0}, store_->info(k.a)->treeStoreSize);
    CPPUNIT_ASSERT(!exists(dir_->cas() + "/treestorelocks/" + t.treeId));
    expectError([&] { trees_->remove(t.treeId); }, RKT_E_NOT_FOUND, t.treeId);
    expectError([&] { trees_->remove("deps-bogus"); }, RKT_E_INVALID, "deps-bogus");
    // The images stay; rendering again works.
    CPPUNIT_ASSERT(!trees_->render(k.a, false).reused);
  }

  void corruptBlobFailsRenderWithoutTree() {
    Chain k = importChain(*store_, dir_->path());
    std::string blob = store_->blobPath(k.d);
    std::string bytes = slurp(blob);
    // In the data of D's (unrendered) manifest entry: the tar stays well-formed.
    size_t at = bytes.find("example.com/d\"");
    CPPUNIT_ASSERT(at != std::string::npos);
    bytes[at + 12] = 'x';
    // This store wrote the blob: as it is, a render would not hash it again...
    CPPUNIT_ASSERT(store_->isOwnUnchangedBlob(k.d));
    CPPUNIT_ASSERT_EQUAL(0, ::chmod(blob.c_str(), 0660));
    writeFile(blob, bytes);
    // ...but changed (right after the import, as fast as a test can) it must be.
    CPPUNIT_ASSERT(!store_->isOwnUnchangedBlob(k.d));
    CPPUNIT_ASSERT(!CasStore(dir_->cas()).isOwnUnchangedBlob(k.a));  // another instance's
    expectError([&] { trees_->render(k.a, false); }, RKT_E_INVALID,
                "image hash does not match expected");
    CPPUNIT_ASSERT(!exists(store_->treePath(trees_->treeId(k.a))));
    CPPUNIT_ASSERT(trees_->list().empty());
  }

  void incompleteTreeIsNeverUsedAndSwept() {
    Chain k = importChain(*store_, dir_->path());
    RenderedTree t = trees_->render(k.a, false);
    // What a render killed before its last step leaves: everything but `rendered`.
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((t.path + "/rendered").c_str()));
    CPPUNIT_ASSERT(trees_->list().empty());
    CPPUNIT_ASSERT(trees_->verify(k.a) == TreeStatus::kNotRendered);
    // `rkt image gc` sweeps it: listed as incomplete on request, then removed.
    std::vector<TreeInfo> listed = trees_->list(true);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, listed.size());
    CPPUNIT_ASSERT(!listed[0].complete);
    CPPUNIT_ASSERT_EQUAL(t.treeId, listed[0].treeId);
    CPPUNIT_ASSERT_EQUAL(k.a, listed[0].key);
    CPPUNIT_ASSERT_EQUAL(size_t{1}, sweepIncomplete());
    CPPUNIT_ASSERT(!exists(t.path));
    // Not listed (so not swept) while a render holds the lock.
    RenderedTree again = trees_->render(k.a, false);
    CPPUNIT_ASSERT(!again.reused);
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((t.path + "/rendered").c_str()));
    {
      FileLock held = store_->lockTree(t.treeId, LockMode::kExclusive);
      CPPUNIT_ASSERT_EQUAL(size_t{0}, sweepIncomplete());
      CPPUNIT_ASSERT(exists(t.path));
    }
    // A partial tree is replaced by the next render, never reused.
    writeFile(rootfs(t) + "/etc/origin", "partial");
    RenderedTree fresh = trees_->render(k.a, false);
    CPPUNIT_ASSERT(!fresh.reused);
    CPPUNIT_ASSERT_EQUAL(std::string("a"), contentOr(rootfs(fresh) + "/etc/origin"));
  }

  void killedRenderLeavesNoRenderedHalfTree() {
    // A bigger image so a render takes a while; kill renders at different moments.
    AciBuilder big(aciManifest("example.com/big"));
    for (int i = 0; i < 300; ++i) {
      big.file("f" + std::to_string(i), std::string(20000, static_cast<char>('a' + i % 26)));
    }
    std::string key = importTar(*store_, dir_->path(), "big", big.finish());
    std::string id = trees_->treeId(key);
    for (int delayMs : {0, 2, 5, 10, 20, 40, 80}) {
      store_.reset();
      trees_.reset();
      pid_t pid = ::fork();
      CPPUNIT_ASSERT(pid >= 0);
      if (pid == 0) {
        try {
          CasStore s(dir_->cas());
          TreeStore(s).render(key, true);
        } catch (...) {
          ::_exit(1);
        }
        ::_exit(0);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      store_ = std::make_unique<CasStore>(dir_->cas());
      trees_ = std::make_unique<TreeStore>(*store_);
      std::string path = store_->treePath(id);
      if (exists(path + "/rendered")) {
        CPPUNIT_ASSERT(trees_->verify(key) == TreeStatus::kOk);
      } else {
        sweepIncomplete();
        CPPUNIT_ASSERT(!exists(path));
        CPPUNIT_ASSERT(trees_->verify(key) == TreeStatus::kNotRendered);
      }
      CPPUNIT_ASSERT(entries(dir_->cas() + "/tmp").empty());
    }
  }

 private:
  // What `rkt image gc` does with incomplete trees: list them, remove each.
  size_t sweepIncomplete() {
    size_t removed = 0;
    for (const TreeInfo& t : trees_->list(true)) {
      if (!t.complete) {
        trees_->remove(t.treeId);
        ++removed;
      }
    }
    return removed;
  }

  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<CasStore> store_;
  std::unique_ptr<TreeStore> trees_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasTreeStoreTest);
