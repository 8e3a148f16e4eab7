// The tree fingerprint (tree_fingerprint.hpp) and the quick check built on it: every change made
// through the filesystem shows, even one that keeps sizes and restores modification times; a
// quick verify trusts a matching fingerprint and reads the tree whenever it does not match.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <memory>

#include "aci_test_util.hpp"
#include "tree_fingerprint.hpp"
#include "tree_store.hpp"

using namespace rkt::cas;
using namespace rkt::cas::test;

namespace {

std::string buildImage(CasStore& store, const std::string& dir) {
  return importTar(store, dir, "fp",
                   AciBuilder(aciManifest("example.com/fp"))
                       .dir("etc")
                       .file("etc/origin", "original")
                       .file("etc/other", "other")
                       .hardlink("etc/other-link", "etc/other")
                       .symlink("etc/sym", "origin")
                       .finish());
}

// Replaces the content of `path` in place with `content` (same inode), then puts its
// modification time back: what a careless tool or a bit of malice might do.
void rewriteKeepingMtime(const std::string& path, const std::string& content) {
  struct stat before {};
  CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &before));
  writeFile(path, content);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, path.c_str(), times, 0));
}

}  // namespace

class CasTreeFingerprintTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CasTreeFingerprintTest);
  CPPUNIT_TEST(fingerprintIsStableAndSkipsBookkeeping);
  CPPUNIT_TEST(fingerprintDetectsChanges);
  CPPUNIT_TEST(renderRecordsFingerprintAfterTheClockMoved);
  CPPUNIT_TEST(quickVerifyTrustsMatchingFingerprint);
  CPPUNIT_TEST(quickVerifyRebuildsSameSizeChangeWithRestoredTime);
  CPPUNIT_TEST(quickVerifyReadsTreeWithoutFingerprint);
  CPPUNIT_TEST(intactTreeGetsFingerprintRecordedAfresh);
  CPPUNIT_TEST(fingerprintThatCannotBeReadOrWrittenOnlyCostsAFullCheck);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    dir_ = std::make_unique<ScratchDir>();
    store_ = std::make_unique<CasStore>(dir_->cas());
    trees_ = std::make_unique<TreeStore>(*store_);
    key_ = buildImage(*store_, dir_->path());
    tree_ = trees_->render(key_, false);
  }
  void tearDown() override {
    trees_.reset();
    store_.reset();
    dir_.reset();
  }

  void fingerprintIsStableAndSkipsBookkeeping() {
    TreeFingerprint a = fingerprintTree(tree_.path);
    CPPUNIT_ASSERT_EQUAL(std::string("sha512-"), a.digest.substr(0, 7));
    CPPUNIT_ASSERT_EQUAL(size_t{71}, a.digest.size());
    CPPUNIT_ASSERT_EQUAL(uint64_t{6}, a.entries);  // rootfs, etc, origin, other, other-link, sym
    writeFile(tree_.path + "/image", "whatever");
    writeFile(tree_.path + "/hash", "whatever");
    writeFile(tree_.path + "/manifest", "{}");
    CPPUNIT_ASSERT_EQUAL(a.digest, fingerprintTree(tree_.path).digest);
  }

  void fingerprintDetectsChanges() {
    const std::string r = tree_.path + "/rootfs";
    std::string fp = fingerprintTree(tree_.path).digest;
    auto changed = [&](const char* what) {
      std::string now = fingerprintTree(tree_.path).digest;
      CPPUNIT_ASSERT_MESSAGE(what, now != fp);
      fp = now;
    };
    rewriteKeepingMtime(r + "/etc/origin", "ORIGINAL");
    changed("same-size content, modification time restored");
    rewriteKeepingMtime(r + "/etc/origin", "ORIGINAL");
    changed("identical content written again");
    CPPUNIT_ASSERT_EQUAL(0, ::chmod((r + "/etc/origin").c_str(), 0600));
    changed("mode");
    CPPUNIT_ASSERT_EQUAL(0, ::lchown((r + "/etc/origin").c_str(), 1, 1));
    changed("owner");
    CPPUNIT_ASSERT_EQUAL(0, ::lsetxattr((r + "/etc/other").c_str(), "user.x", "1", 1, 0));
    changed("extended attribute");
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((r + "/etc/other-link").c_str()));
    changed("hard link removed");
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((r + "/etc/sym").c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink("other", (r + "/etc/sym").c_str()));
    changed("symlink replaced");
    CPPUNIT_ASSERT_EQUAL(0, ::rename((r + "/etc/other").c_str(), (r + "/etc/moved").c_str()));
    changed("rename");
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir((r + "/newdir").c_str(), 0755));
    changed("new directory");
  }

  // The fingerprint's caveat (a change within the same clock tick as the previous one keeps
  // the ctime): the recorded fingerprint is newer than every change it saw.
  void renderRecordsFingerprintAfterTheClockMoved() {
    const std::string file = tree_.path + "/fingerprint";
    CPPUNIT_ASSERT_EQUAL(fingerprintTree(tree_.path).digest, slurp(file));
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat(file.c_str(), &st));
    CPPUNIT_ASSERT(isLater(st.st_ctim, fingerprintTree(tree_.path).newestChange));
    // The size recorded for the tree is rkt's: the fingerprint file (rkt had none) not counted.
    auto trees = trees_->list();
    CPPUNIT_ASSERT_EQUAL(size_t{1}, trees.size());
    CPPUNIT_ASSERT_EQUAL(store_->info(key_)->treeStoreSize, trees[0].size);
  }

  // Seen through the recorded hash, which the fingerprint leaves out: a quick check that trusts
  // the fingerprint does not notice a wrong hash file; a full check does (and rebuilds).
  void quickVerifyTrustsMatchingFingerprint() {
    writeFile(tree_.path + "/hash", "sha512-wrong");
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kOk);
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kFull) == TreeStatus::kRebuilt);
    CPPUNIT_ASSERT(slurp(tree_.path + "/hash") != "sha512-wrong");
  }

  void quickVerifyRebuildsSameSizeChangeWithRestoredTime() {
    const std::string origin = tree_.path + "/rootfs/etc/origin";
    rewriteKeepingMtime(origin, "ORIGINAL");
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kRebuilt);
    CPPUNIT_ASSERT_EQUAL(std::string("original"), slurp(origin));
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kOk);
  }

  // A tree from before fingerprints (or whose fingerprint could not be recorded) is read.
  void quickVerifyReadsTreeWithoutFingerprint() {
    CPPUNIT_ASSERT_EQUAL(0, ::unlink((tree_.path + "/fingerprint").c_str()));
    writeFile(tree_.path + "/hash", "sha512-wrong");
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kRebuilt);
    CPPUNIT_ASSERT(exists(tree_.path + "/fingerprint"));
  }

  // Metadata changed, content intact (the tree hash has no times): the full check passes and
  // records the new fingerprint, which the next quick check trusts.
  void intactTreeGetsFingerprintRecordedAfresh() {
    const std::string origin = tree_.path + "/rootfs/etc/origin";
    const std::string old = slurp(tree_.path + "/fingerprint");
    const struct timespec times[2] = {{1000, 0}, {1000, 0}};
    CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, origin.c_str(), times, 0));
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kOk);
    const std::string now = slurp(tree_.path + "/fingerprint");
    CPPUNIT_ASSERT(now != old);
    CPPUNIT_ASSERT_EQUAL(fingerprintTree(tree_.path).digest, now);
    writeFile(tree_.path + "/hash", "sha512-wrong");
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kOk);
  }

  // What a reader that may not write the tree meets (not root): the check still answers.
  void fingerprintThatCannotBeReadOrWrittenOnlyCostsAFullCheck() {
    const std::string file = tree_.path + "/fingerprint";
    CPPUNIT_ASSERT_EQUAL(0, ::unlink(file.c_str()));
    CPPUNIT_ASSERT_EQUAL(0, ::mkdir(file.c_str(), 0755));  // neither readable nor replaceable
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kQuick) == TreeStatus::kOk);
    CPPUNIT_ASSERT(trees_->verify(key_, nullptr, TreeCheck::kFull) == TreeStatus::kOk);
    struct stat st {};
    CPPUNIT_ASSERT_EQUAL(0, ::stat(file.c_str(), &st));
    CPPUNIT_ASSERT(S_ISDIR(st.st_mode));
    CPPUNIT_ASSERT_MESSAGE("no temp file left behind", entries(store_->layout().tmpDir()).empty());
  }

 private:
  std::unique_ptr<ScratchDir> dir_;
  std::unique_ptr<CasStore> store_;
  std::unique_ptr<TreeStore> trees_;
  std::string key_;
  RenderedTree tree_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CasTreeFingerprintTest);
