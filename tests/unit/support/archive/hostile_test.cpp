// Hostile archives: each one must fail with a clear error or be contained, and in every case
// nothing outside the target directory may be created, changed or removed.
#include "support/archive/archive_fixture.hpp"

#include <rkt/support/archive/extract.hpp>
#include <rkt/support/archive/import.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <vector>

using namespace rkt::archive;           // NOLINT: test file
using namespace rkt::archive::testing;  // NOLINT: test file

// Global namespace: CppUnit names a suite after its (demangled) type, and ctest runs it by that
// name.
class ArchiveHostileTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArchiveHostileTest);
  CPPUNIT_TEST(dotDotTraversal);
  CPPUNIT_TEST(dotDotInsideName);
  CPPUNIT_TEST(absoluteNamesAreContained);
  CPPUNIT_TEST(symlinkEscapeThenWriteThroughIt);
  CPPUNIT_TEST(relativeSymlinkEscapeThenWrite);
  CPPUNIT_TEST(symlinkedParentDeepInPath);
  CPPUNIT_TEST(selfLoopSymlinkParent);
  CPPUNIT_TEST(preexistingSymlinkInTarget);
  CPPUNIT_TEST(hardLinkOutsideWithDotDot);
  CPPUNIT_TEST(hardLinkAbsoluteTarget);
  CPPUNIT_TEST(hardLinkToEscapingSymlinkThenWrite);
  CPPUNIT_TEST(hardLinkToDirectory);
  CPPUNIT_TEST(fileReplacesSymlink);
  CPPUNIT_TEST(directoryReplacesSymlink);
  CPPUNIT_TEST(duplicateEntries);
  CPPUNIT_TEST(fileOverNonEmptyDirectory);
  CPPUNIT_TEST(truncatedGzip);
  CPPUNIT_TEST(corruptGzip);
  CPPUNIT_TEST(corruptGzipChecksum);
  CPPUNIT_TEST(truncatedTar);
  CPPUNIT_TEST(damagedTarHeader);
  CPPUNIT_TEST(deviceNodes);
  CPPUNIT_TEST(veryLongNames);
  CPPUNIT_TEST(nonDirectoryAsTargetRoot);
  CPPUNIT_TEST(hardLinkOutsideStrippedPrefix);
  CPPUNIT_TEST(importMissingManifest);
  CPPUNIT_TEST(importInvalidManifestSurfaced);
  CPPUNIT_TEST(importRefusesHostileNames);
  CPPUNIT_TEST_SUITE_END();

 public:
  void dotDotTraversal() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").file("../escape", "x");
    expectFailure(s, t.finish(), "climbs out");
    CPPUNIT_ASSERT(!exists(s.root + "/escape"));
  }

  void dotDotInsideName() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").file("rootfs/a/../../../escape", "x").file("rootfs/../outdir/x", "y");
    expectFailure(s, t.finish(), "climbs out");
    CPPUNIT_ASSERT(!exists(s.root + "/escape"));
  }

  void absoluteNamesAreContained() {
    Sandbox s;
    TarBuilder t;
    // As tar does, the leading `/` is dropped: these land inside the target.
    t.file(s.root + "/outdir/abs", "x").file("/secret", "pwned").dir("/");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("x"), readFile(s.target + s.root + "/outdir/abs"));
    CPPUNIT_ASSERT_EQUAL(std::string("pwned"), readFile(s.target + "/secret"));
    s.assertContained();
  }

  void symlinkEscapeThenWriteThroughIt() {
    Sandbox s;
    TarBuilder t;
    t.symlink("a", s.root).file("a/escape", "x");
    expectFailure(s, t.finish(), "`a` is a symlink");
    CPPUNIT_ASSERT(!exists(s.root + "/escape"));
    CPPUNIT_ASSERT_EQUAL(s.root, readLink(s.target + "/a"));
  }

  void relativeSymlinkEscapeThenWrite() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").symlink("rootfs/up", "../../outdir").file("rootfs/up/x", "x");
    expectFailure(s, t.finish(), "is a symlink");
  }

  void symlinkedParentDeepInPath() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").dir("rootfs/etc").symlink("rootfs/etc/l", "/").dir("rootfs/etc/l/outdir/sub");
    t.file("rootfs/etc/l/etc/passwd", "root::0:0::/:/bin/sh\n");
    expectFailure(s, t.finish(), "`rootfs/etc/l` is a symlink");
  }

  void selfLoopSymlinkParent() {
    Sandbox s;
    TarBuilder t;
    t.symlink("loop", "loop").file("loop/x", "x");
    expectFailure(s, t.finish(), "`loop` is a symlink");
  }

  void preexistingSymlinkInTarget() {
    Sandbox s;
    // A tree already in the target (e.g. from an upper image) with a symlink out of it.
    CPPUNIT_ASSERT_EQUAL(0,
                         ::symlink((s.root + "/outdir").c_str(), (s.target + "/rootfs").c_str()));
    TarBuilder t;
    t.file("rootfs/x", "x");
    expectFailure(s, t.finish(), "`rootfs` is a symlink");
  }

  void hardLinkOutsideWithDotDot() {
    Sandbox s;
    TarBuilder t;
    t.hardlink("h", "../secret").file("h", "pwned");
    expectFailure(s, t.finish(), "outside the archive");
  }

  void hardLinkAbsoluteTarget() {
    Sandbox s;
    TarBuilder t;
    // Resolved inside the target, where no such file exists.
    t.hardlink("h", s.root + "/secret").file("h", "pwned");
    expectFailure(s, t.finish(), "does not exist");
  }

  void hardLinkToEscapingSymlinkThenWrite() {
    Sandbox s;
    TarBuilder t;
    t.symlink("s", s.root + "/secret").hardlink("h", "s").file("h", "pwned").file("s", "pwned2");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    // `h` first became a second name of the symlink, then both were replaced by plain files.
    CPPUNIT_ASSERT_EQUAL(std::string("pwned"), readFile(s.target + "/h"));
    CPPUNIT_ASSERT_EQUAL(std::string("pwned2"), readFile(s.target + "/s"));
    CPPUNIT_ASSERT(S_ISREG(lstatOf(s.target + "/h").st_mode));
    s.assertContained();

    Sandbox s2;
    TarBuilder t2;
    t2.symlink("s", s2.root + "/secret").hardlink("h", "s");
    auto r2 = extractTar(s2.archive(t2.finish()), s2.target);
    CPPUNIT_ASSERT_MESSAGE(r2 ? "" : r2.error().message, r2.ok());
    CPPUNIT_ASSERT(S_ISLNK(lstatOf(s2.target + "/h").st_mode));  // the link itself, not followed
    s2.assertContained();
  }

  void hardLinkToDirectory() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").hardlink("h", "rootfs");
    expectFailure(s, t.finish(), "is a directory");
  }

  void fileReplacesSymlink() {
    Sandbox s;
    TarBuilder t;
    t.symlink("s", s.root + "/secret").file("s", "pwned");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT(S_ISREG(lstatOf(s.target + "/s").st_mode));
    CPPUNIT_ASSERT_EQUAL(std::string("pwned"), readFile(s.target + "/s"));
    s.assertContained();

    Sandbox s2;  // with OnExisting::Fail the replacement is refused instead
    TarBuilder t2;
    t2.symlink("s", s2.root + "/secret").file("s", "pwned");
    ExtractOptions o;
    o.onExisting = OnExisting::Fail;
    expectFailure(s2, t2.finish(), "`s` already exists", o);
  }

  void directoryReplacesSymlink() {
    Sandbox s;
    TarBuilder t;
    t.symlink("d", s.root + "/outdir").dir("d").file("d/x", "x");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT(S_ISDIR(lstatOf(s.target + "/d").st_mode));
    CPPUNIT_ASSERT_EQUAL(std::string("x"), readFile(s.target + "/d/x"));
    s.assertContained();
  }

  void duplicateEntries() {
    Sandbox s;
    TarBuilder t;
    t.dir("d").file("d/f", "one").file("d/f", "two").dir("d", withMode(0700)).symlink("d/l", "f");
    t.symlink("d/l", "/etc/passwd").fifo("d/f");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT(S_ISFIFO(lstatOf(s.target + "/d/f").st_mode));  // the last entry wins
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/passwd"), readLink(s.target + "/d/l"));
    CPPUNIT_ASSERT_EQUAL(0700u, static_cast<unsigned>(lstatOf(s.target + "/d").st_mode & 07777));
    s.assertContained();
  }

  void fileOverNonEmptyDirectory() {
    Sandbox s;
    TarBuilder t;
    t.dir("d").file("d/c", "c").file("d", "not a dir");
    expectFailure(s, t.finish(), "non-empty directory `d`");
  }

  void truncatedGzip() {
    Sandbox s;
    std::string gz = compress(sampleTar(), Compression::Gzip);
    expectFailure(s, gz.substr(0, gz.size() * 2 / 3), "truncated gzip data");
  }

  void corruptGzip() {
    Sandbox s;
    std::string gz = compress(sampleTar(), Compression::Gzip);
    for (std::size_t i = gz.size() / 3; i < gz.size() / 3 + 64; ++i)
      gz[i] = static_cast<char>(~gz[i]);
    expectFailure(s, gz, "corrupt gzip data");
  }

  void corruptGzipChecksum() {
    Sandbox s;
    std::string gz = compress(sampleTar(), Compression::Gzip);
    gz[gz.size() - 6] = static_cast<char>(gz[gz.size() - 6] ^ 1);  // CRC-32 trailer
    expectFailure(s, gz, "corrupt gzip data: incorrect data check");
  }

  void truncatedTar() {
    Sandbox s;
    std::string tar = sampleTar();
    // Cut inside the data of rootfs/big (the last regular file).
    expectFailure(s, tar.substr(0, tar.size() - 12000), "entry `rootfs/big`");
    expectFailure(s, tar.substr(0, tar.size() - 12000), "truncated");
  }

  void damagedTarHeader() {
    Sandbox s;
    TarBuilder t(false);
    t.dir("rootfs").file("rootfs/a", "a").file("rootfs/b", "b");
    std::string tar = t.finish();
    // ustar: rootfs at 0, rootfs/a at 512 (data at 1024), rootfs/b at 1536: scribble over the
    // name, mode and checksum of the third header.
    for (std::size_t i = 512 * 3; i < 512 * 3 + 160; ++i)
      tar[i] = 'Z';
    expectFailure(s, tar, "after entry `rootfs/a`");
  }

  void deviceNodes() {
    Sandbox s;
    TarBuilder t;
    t.dir("dev").chardev("dev/null", 1, 3).chardev("dev/sda", 8, 0).fifo("dev/fifo");
    auto r = extractTar(s.archive(t.finish()), s.target);
    if (::geteuid() != 0) {
      CPPUNIT_ASSERT(!r.ok());  // mknod needs CAP_MKNOD; still nothing outside
      s.assertContained();
      return;
    }
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    struct stat st = lstatOf(s.target + "/dev/null");
    CPPUNIT_ASSERT(S_ISCHR(st.st_mode));
    CPPUNIT_ASSERT_EQUAL(makedev(1, 3), st.st_rdev);
    CPPUNIT_ASSERT(S_ISCHR(lstatOf(s.target + "/dev/sda").st_mode));
    CPPUNIT_ASSERT(S_ISFIFO(lstatOf(s.target + "/dev/fifo").st_mode));
    s.assertContained();

    Sandbox s2;
    TarBuilder t2;
    t2.chardev("../dev-null", 1, 3);
    expectFailure(s2, t2.finish(), "climbs out");
  }

  void veryLongNames() {
    Sandbox s;
    // 60 components of 100 characters: 6 kB, beyond PATH_MAX, still a legal tree.
    std::string path;
    for (int i = 0; i < 60; ++i)
      path += (i ? "/" : "") + std::string(99, 'a' + i % 26) + "d";
    TarBuilder t;
    t.file(path + "/leaf", "deep");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("deep"), readDeep(s.target, path + "/leaf"));
    s.assertContained();

    Sandbox s2;
    TarBuilder t2;
    t2.file("rootfs/" + std::string(300, 'n'), "x");
    expectFailure(s2, t2.finish(), "file name too long");
  }

  void nonDirectoryAsTargetRoot() {
    Sandbox s;
    TarBuilder t;
    t.file(".", "x");
    expectFailure(s, t.finish(), "cannot replace the extraction target");
  }

  void hardLinkOutsideStrippedPrefix() {
    Sandbox s;
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs").hardlink("rootfs/m", "manifest");
    ExtractOptions o;
    o.prefix = "rootfs";
    o.stripPrefix = true;
    expectFailure(s, t.finish(), "outside `rootfs`", o);
  }

  void importMissingManifest() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").file("rootfs/x", "x").file("manifest.json", "{}");
    auto r = importAci(s.archive(compress(t.finish(), Compression::Gzip)), s.target);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(r.error().message,
                           contains(r.error().message, "entry `manifest.json`: unrecognized path"));
    CPPUNIT_ASSERT(listTree(s.target).empty());  // the temporary blob is gone
    s.assertContained();
  }

  void importInvalidManifestSurfaced() {
    Sandbox s;
    const std::string junk = "{\"acKind\": \"ImageManifest\", \x01\x02 not json";
    TarBuilder t;
    t.file("manifest", junk).dir("rootfs");
    auto r = importAci(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(junk, r->manifest);  // the caller's validator sees the exact bytes
  }

  void importRefusesHostileNames() {
    // Import writes only the blob, but refuses an image whose names break the image rules
    // (image_rules_test.cpp has each rule): nothing is left behind.
    struct Case {
      std::function<void(TarBuilder&)> add;
      std::string needle;
    };
    std::vector<Case> cases = {
        {[](TarBuilder& t) { t.file("../escape", "x"); }, "climbs out"},
        {[](TarBuilder& t) { t.symlink("rootfs/l", "/").file("rootfs/l/etc/x", "x"); },
         "`rootfs/l` is a symlink in the image"},
        {[](TarBuilder& t) { t.file("rootfs/x", "x").file("rootfs/x", "y"); },
         "the image lists `rootfs/x` twice"},
    };
    for (const Case& c : cases) {
      Sandbox s;
      TarBuilder t;
      t.file("manifest", "{}").dir("rootfs");
      c.add(t);
      auto r = importAci(s.archive(t.finish()), s.target);
      CPPUNIT_ASSERT(!r.ok());
      CPPUNIT_ASSERT_MESSAGE(r.error().message, contains(r.error().message, c.needle));
      CPPUNIT_ASSERT(listTree(s.target).empty());
      s.assertContained();
    }
  }

 private:
  static bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
  }

  static std::string readLink(const std::string& p) {
    char buf[4096];
    ssize_t n = ::readlink(p.c_str(), buf, sizeof buf);
    return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
  }

  // Reads a file whose path is longer than PATH_MAX by walking to it.
  static std::string readDeep(const std::string& root, const std::string& rel) {
    std::string cwd(4096, '\0');
    CPPUNIT_ASSERT(::getcwd(cwd.data(), cwd.size()) != nullptr);
    std::string content;
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(root.c_str()));
    std::size_t pos = 0;
    for (;;) {
      std::size_t slash = rel.find('/', pos);
      if (slash == std::string::npos) {
        content = readFile(rel.substr(pos));
        break;
      }
      CPPUNIT_ASSERT_EQUAL(0, ::chdir(rel.substr(pos, slash - pos).c_str()));
      pos = slash + 1;
    }
    CPPUNIT_ASSERT_EQUAL(0, ::chdir(cwd.c_str()));
    return content;
  }

  static std::string sampleTar() {
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs").file("rootfs/small", "small");
    t.file("rootfs/big", noise(200000, 7));
    return t.finish();
  }

  void expectFailure(Sandbox& s, const std::string& bytes, const std::string& needle,
                     const ExtractOptions& o = {}) {
    auto r = extractTar(s.archive(bytes), s.target, o);
    CPPUNIT_ASSERT_MESSAGE("extraction should have failed", !r.ok());
    const std::string& m = r.error().message;
    CPPUNIT_ASSERT_MESSAGE("message: " + m, contains(m, needle));
    CPPUNIT_ASSERT_MESSAGE("message names the archive: " + m, contains(m, "cannot extract `"));
    CPPUNIT_ASSERT_MESSAGE("one line: " + m, !contains(m, "\n"));
    s.assertContained();
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArchiveHostileTest);
