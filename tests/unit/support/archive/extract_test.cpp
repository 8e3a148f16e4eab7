// Extraction that works: attributes rkt preserves, prefixes, whitelists, filters, verification.
#include "support/archive/archive_fixture.hpp"

#include <rkt/support/archive/extract.hpp>
#include <rkt/support/archive/import.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <clocale>

using namespace rkt::archive;           // NOLINT: test file
using namespace rkt::archive::testing;  // NOLINT: test file

class ArchiveExtractTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArchiveExtractTest);
  CPPUNIT_TEST(preservesModesTimesAndOwners);
  CPPUNIT_TEST(hardLinksShareAnInode);
  CPPUNIT_TEST(symlinksFifosAndDevices);
  CPPUNIT_TEST(extendedAttributes);
  CPPUNIT_TEST(directoryTimesSurviveTheirContent);
  CPPUNIT_TEST(missingParentsAreCreated);
  CPPUNIT_TEST(prefixWithAndWithoutStrip);
  CPPUNIT_TEST(ownWhitelistKeepsDirectories);
  CPPUNIT_TEST(upperWhitelistFiltersDirectories);
  CPPUNIT_TEST(filterHookRendersUpperWins);
  CPPUNIT_TEST(failPolicyMergesDirectoriesOnly);
  CPPUNIT_TEST(compressedInputAndVerification);
  CPPUNIT_TEST(utf8NamesInAnyLocale);
  CPPUNIT_TEST(ownershipCanBeLeftAlone);
  CPPUNIT_TEST(sparseFilesKeepTheirHoles);
  CPPUNIT_TEST(fileDigestsMatchTheContentWritten);
  CPPUNIT_TEST_SUITE_END();

 public:
  void preservesModesTimesAndOwners() {
    Sandbox s;
    TarBuilder t;
    EntryAttrs suid = withMode(04755);
    suid.uid = 1234;
    suid.gid = 5678;
    suid.mtime = 1234567890;
    suid.mtimeNsec = 123456789;
    EntryAttrs sticky = withMode(01777);
    sticky.mtime = 1000000000;
    t.dir("tmp", sticky)
        .file("tmp/suid", "#!/bin/sh\n", suid)
        .file("tmp/sgid", "", withMode(02711));
    t.file("tmp/private", "p", withMode(0600)).file("tmp/odd", "o", withMode(0467));
    t.dir("tmp/locked", withMode(0500));
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), r->files);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), r->directories);

    struct stat st = lstatOf(s.target + "/tmp/suid");
    CPPUNIT_ASSERT_EQUAL(04755u, static_cast<unsigned>(st.st_mode & 07777));
    CPPUNIT_ASSERT_EQUAL(static_cast<time_t>(1234567890), st.st_mtim.tv_sec);
    CPPUNIT_ASSERT_EQUAL(123456789L, st.st_mtim.tv_nsec);
    if (::geteuid() == 0) {
      CPPUNIT_ASSERT_EQUAL(static_cast<uid_t>(1234), st.st_uid);
      CPPUNIT_ASSERT_EQUAL(static_cast<gid_t>(5678), st.st_gid);
    }
    CPPUNIT_ASSERT_EQUAL(02711u, mode(s.target + "/tmp/sgid"));
    CPPUNIT_ASSERT_EQUAL(0600u, mode(s.target + "/tmp/private"));
    CPPUNIT_ASSERT_EQUAL(0467u, mode(s.target + "/tmp/odd"));  // not narrowed by the umask
    CPPUNIT_ASSERT_EQUAL(0500u, mode(s.target + "/tmp/locked"));
    st = lstatOf(s.target + "/tmp");
    CPPUNIT_ASSERT_EQUAL(01777u, static_cast<unsigned>(st.st_mode & 07777));
    CPPUNIT_ASSERT_EQUAL(static_cast<time_t>(1000000000), st.st_mtim.tv_sec);
    s.assertContained();
  }

  void hardLinksShareAnInode() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").file("rootfs/a", "shared", withMode(0751)).hardlink("rootfs/b", "rootfs/a");
    t.dir("rootfs/sub").hardlink("rootfs/sub/c", "./rootfs/a");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), r->hardlinks);
    struct stat a = lstatOf(s.target + "/rootfs/a");
    struct stat b = lstatOf(s.target + "/rootfs/b");
    struct stat c = lstatOf(s.target + "/rootfs/sub/c");
    CPPUNIT_ASSERT_EQUAL(a.st_ino, b.st_ino);
    CPPUNIT_ASSERT_EQUAL(a.st_ino, c.st_ino);
    CPPUNIT_ASSERT_EQUAL(static_cast<nlink_t>(3), a.st_nlink);
    CPPUNIT_ASSERT_EQUAL(0751u, static_cast<unsigned>(b.st_mode & 07777));

    // With the prefix stripped, link targets are stripped too.
    Sandbox s2;
    TarBuilder t2;
    t2.file("manifest", "{}").dir("rootfs").file("rootfs/a", "x").hardlink("rootfs/b", "rootfs/a");
    ExtractOptions o;
    o.prefix = "rootfs";
    o.stripPrefix = true;
    auto r2 = extractTar(s2.archive(t2.finish()), s2.target, o);
    CPPUNIT_ASSERT_MESSAGE(r2 ? "" : r2.error().message, r2.ok());
    CPPUNIT_ASSERT_EQUAL(lstatOf(s2.target + "/a").st_ino, lstatOf(s2.target + "/b").st_ino);
  }

  void symlinksFifosAndDevices() {
    Sandbox s;
    TarBuilder t;
    EntryAttrs link;
    link.uid = 42;
    link.gid = 43;
    link.mtime = 1111111111;
    t.dir("bin").file("bin/busybox", "elf").symlink("bin/sh", "busybox", link);
    t.symlink("bin/abs", "/bin/busybox").symlink("bin/dangling", "../nowhere/at/all");
    t.fifo("run.fifo", withMode(0620));
    if (::geteuid() == 0)
      t.chardev("zero", 1, 5, withMode(0666));
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("busybox"), readLink(s.target + "/bin/sh"));
    CPPUNIT_ASSERT_EQUAL(std::string("/bin/busybox"), readLink(s.target + "/bin/abs"));
    CPPUNIT_ASSERT_EQUAL(std::string("../nowhere/at/all"), readLink(s.target + "/bin/dangling"));
    struct stat st = lstatOf(s.target + "/bin/sh");
    CPPUNIT_ASSERT_EQUAL(static_cast<time_t>(1111111111), st.st_mtim.tv_sec);
    if (::geteuid() == 0) {
      CPPUNIT_ASSERT_EQUAL(static_cast<uid_t>(42), st.st_uid);
      CPPUNIT_ASSERT_EQUAL(static_cast<gid_t>(43), st.st_gid);
      struct stat z = lstatOf(s.target + "/zero");
      CPPUNIT_ASSERT(S_ISCHR(z.st_mode));
      CPPUNIT_ASSERT_EQUAL(makedev(1, 5), z.st_rdev);
      CPPUNIT_ASSERT_EQUAL(0666u, static_cast<unsigned>(z.st_mode & 07777));
    }
    st = lstatOf(s.target + "/run.fifo");
    CPPUNIT_ASSERT(S_ISFIFO(st.st_mode));
    CPPUNIT_ASSERT_EQUAL(0620u, static_cast<unsigned>(st.st_mode & 07777));
    s.assertContained();
  }

  void extendedAttributes() {
    Sandbox s;
    // A v2 file capability: cap_net_bind_service (bit 10) permitted and effective.
    const unsigned char cap[20] = {0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    EntryAttrs fx = withMode(0755);
    fx.uid = 7;
    fx.xattrs["user.rkt.test"] = std::string("v\0al", 4);
    fx.xattrs["security.capability"] = std::string(reinterpret_cast<const char*>(cap), sizeof cap);
    fx.xattrs["trusted.dropped"] = "x";  // rkt keeps only security.capability and user.*
    EntryAttrs dx = withMode(0755);
    dx.xattrs["user.dir"] = "d";
    TarBuilder t;
    t.dir("d", dx).file("d/ping", "elf", fx);
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("v\0al", 4), xattr(s.target + "/d/ping", "user.rkt.test"));
    CPPUNIT_ASSERT_EQUAL(std::string("d"), xattr(s.target + "/d", "user.dir"));
    CPPUNIT_ASSERT_EQUAL(std::string(), xattr(s.target + "/d/ping", "trusted.dropped"));
    if (::geteuid() == 0) {
      // Set after chown (which would drop it).
      CPPUNIT_ASSERT(std::string(reinterpret_cast<const char*>(cap), sizeof cap) ==
                     xattr(s.target + "/d/ping", "security.capability"));
    }
  }

  void directoryTimesSurviveTheirContent() {
    Sandbox s;
    EntryAttrs old = withMode(0755);
    old.mtime = 946684800;
    TarBuilder t;
    t.dir("a", old).dir("a/b", old).file("a/b/f", "f").file("a/g", "g").symlink("a/l", "g");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(static_cast<time_t>(946684800), lstatOf(s.target + "/a").st_mtim.tv_sec);
    CPPUNIT_ASSERT_EQUAL(static_cast<time_t>(946684800), lstatOf(s.target + "/a/b").st_mtim.tv_sec);
  }

  void missingParentsAreCreated() {
    Sandbox s;
    TarBuilder t;
    t.file("x/y/z/file", "deep").symlink("p/q/link", "../../x");
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("deep"), readFile(s.target + "/x/y/z/file"));
    CPPUNIT_ASSERT(S_ISDIR(lstatOf(s.target + "/p/q").st_mode));
  }

  void prefixWithAndWithoutStrip() {
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs", withMode(0751)).dir("rootfs/etc");
    t.file("rootfs/etc/hosts", "h").file("rootfsx", "not under the prefix").file("other", "o");
    const std::string tar = t.finish();
    {
      Sandbox s;
      ExtractOptions o;
      o.prefix = "rootfs/";
      auto r = extractTar(s.archive(tar), s.target, o);
      CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
      std::set<std::string> want = {"rootfs", "rootfs/etc", "rootfs/etc/hosts"};
      CPPUNIT_ASSERT(want == listTree(s.target));
      CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), r->skipped);
    }
    {
      Sandbox s;
      ExtractOptions o;
      o.prefix = "rootfs";
      o.stripPrefix = true;
      auto r = extractTar(s.archive(tar), s.target, o);
      CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
      std::set<std::string> want = {"etc", "etc/hosts"};
      CPPUNIT_ASSERT(want == listTree(s.target));
      CPPUNIT_ASSERT_EQUAL(0751u, mode(s.target));  // the prefix entry's mode is the target's
    }
  }

  void ownWhitelistKeepsDirectories() {
    Sandbox s;
    PathWhitelist own;
    own.paths = {"/bin/sh", "/etc/hosts/"};
    ExtractOptions o;
    o.whitelists.push_back(own);
    auto r = extractTar(s.archive(whitelistTar()), s.target, o);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    std::set<std::string> want = {"manifest",      "rootfs",          "rootfs/bin",
                                  "rootfs/bin/sh", "rootfs/etc",      "rootfs/etc/hosts",
                                  "rootfs/var",    "rootfs/var/empty"};
    CPPUNIT_ASSERT(want == listTree(s.target));
  }

  void upperWhitelistFiltersDirectories() {
    Sandbox s;
    PathWhitelist upper;
    upper.paths = {"/bin", "/bin/sh", "/etc/hosts"};
    upper.filterDirectories = true;
    ExtractOptions o;
    o.prefix = "rootfs";
    o.whitelists.push_back(upper);
    auto r = extractTar(s.archive(whitelistTar()), s.target, o);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    // rootfs itself always passes; rootfs/etc is filtered, but its listed file still lands
    // (its parent is created implicitly, as tar does).
    std::set<std::string> want = {"rootfs", "rootfs/bin", "rootfs/bin/sh", "rootfs/etc",
                                  "rootfs/etc/hosts"};
    CPPUNIT_ASSERT(want == listTree(s.target));
    CPPUNIT_ASSERT_EQUAL(0755u, mode(s.target + "/rootfs/etc"));  // implicit, not the entry's 0700
  }

  void filterHookRendersUpperWins() {
    Sandbox s;
    TarBuilder upper;
    upper.dir("rootfs").dir("rootfs/etc").file("rootfs/etc/os-release", "upper");
    upper.symlink("rootfs/lib", "usr/lib");
    TarBuilder lower;
    lower.dir("rootfs").dir("rootfs/etc").file("rootfs/etc/os-release", "lower");
    lower.file("rootfs/etc/passwd", "root:x:0:0::/:/bin/sh\n").dir("rootfs/lib");
    lower.file("rootfs/lib/libc.so", "elf");

    std::set<std::string> provided;
    std::map<std::string, EntryType> types;
    auto record = [&](const EntryInfo& e) {
      provided.insert(e.path);
      types[e.path] = e.type;
      return true;
    };
    ExtractOptions o;
    o.filter = record;
    auto r1 = extractTar(s.archive(upper.finish(), "upper.aci"), s.target, o);
    CPPUNIT_ASSERT_MESSAGE(r1 ? "" : r1.error().message, r1.ok());
    // Lower image: skip what an upper image provided, and anything below an upper non-directory.
    o.filter = [&](const EntryInfo& e) {
      if (provided.count(e.path) != 0)
        return false;
      for (auto slash = e.path.rfind('/'); slash != std::string::npos;
           slash = e.path.rfind('/', slash - 1)) {
        auto it = types.find(e.path.substr(0, slash));
        if (it != types.end() && it->second != EntryType::Directory)
          return false;
        if (slash == 0)
          break;
      }
      return true;
    };
    auto r2 = extractTar(s.archive(lower.finish(), "lower.aci"), s.target, o);
    CPPUNIT_ASSERT_MESSAGE(r2 ? "" : r2.error().message, r2.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("upper"), readFile(s.target + "/rootfs/etc/os-release"));
    CPPUNIT_ASSERT(exists(s.target + "/rootfs/etc/passwd"));
    CPPUNIT_ASSERT_EQUAL(std::string("usr/lib"), readLink(s.target + "/rootfs/lib"));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), r2->skipped);  // rootfs, etc, os-release, lib, libc.so
    s.assertContained();
  }

  void failPolicyMergesDirectoriesOnly() {
    Sandbox s;
    TarBuilder a;
    a.dir("rootfs").file("rootfs/a", "a");
    TarBuilder b;
    b.dir("rootfs", withMode(0700)).file("rootfs/b", "b").file("rootfs/a", "again");
    ExtractOptions o;
    o.onExisting = OnExisting::Fail;
    CPPUNIT_ASSERT(extractTar(s.archive(a.finish(), "a.tar"), s.target, o).ok());
    auto r = extractTar(s.archive(b.finish(), "b.tar"), s.target, o);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(
        r.error().message,
        r.error().message.find("entry `rootfs/a`: `rootfs/a` already exists") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("a"), readFile(s.target + "/rootfs/a"));
    CPPUNIT_ASSERT_EQUAL(std::string("b"), readFile(s.target + "/rootfs/b"));
  }

  void compressedInputAndVerification() {
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs").file("rootfs/big", noise(1500000, 9));
    t.file("rootfs/zeros", std::string(1 << 20, '\0'));
    const std::string tar = t.finish();
    const std::string key = "sha512-" + sha512Hex(tar).substr(0, 64);
    for (auto c : {Compression::None, Compression::Gzip, Compression::Bzip2, Compression::Xz}) {
      Sandbox s;
      ExtractOptions o;
      o.expectedKey = key;
      auto r = extractTar(s.archive(compress(tar, c)), s.target, o);
      CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
      CPPUNIT_ASSERT(noise(1500000, 9) == readFile(s.target + "/rootfs/big"));
      CPPUNIT_ASSERT_EQUAL(std::uint64_t(1500000 + (1 << 20) + 2), r->bytes);
    }
    Sandbox s;
    ExtractOptions o;
    o.expectedKey = "sha512-" + std::string(64, 'a');
    auto r = extractTar(s.archive(compress(tar, Compression::Gzip)), s.target, o);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(r.error().message,
                           r.error().message.find("image hash does not match expected: got " +
                                                  key) != std::string::npos);
    o.expectedKey = "sha512-abc";
    CPPUNIT_ASSERT(!extractTar(s.archive(tar), s.target, o).ok());
  }

  void utf8NamesInAnyLocale() {
    Sandbox s;
    const std::string name = "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac";  // café-日本
    // pax carries the name as UTF-8 in an extended header; the writer needs a UTF-8 locale.
    const std::string saved = std::setlocale(LC_CTYPE, nullptr);
    CPPUNIT_ASSERT(std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr);
    std::string tar;
    {
      TarBuilder t;
      t.file(name, "u").symlink("link", name);
      tar = t.finish();
    }
    // The reader runs in the C locale (what rkt runs in), where libarchive cannot convert it.
    std::setlocale(LC_CTYPE, "C");
    auto r = extractTar(s.archive(tar), s.target);
    std::setlocale(LC_CTYPE, saved.c_str());
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("u"), readFile(s.target + "/" + name));
    CPPUNIT_ASSERT_EQUAL(name, readLink(s.target + "/link"));
  }

  void sparseFilesKeepTheirHoles() {
    Sandbox s;
    std::string data(8 << 20, '\0');
    data.replace(0, 4096, std::string(4096, 'A'));
    data.replace(5 << 20, 4096, std::string(4096, 'B'));
    TarBuilder t;
    t.sparseFile("sparse", data, {{0, 4096}, {5 << 20, 4096}});
    const std::string tar = t.finish();
    CPPUNIT_ASSERT(tar.size() < 64 * 1024);  // the holes are not in the archive
    auto r = extractTar(s.archive(tar), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT(data == readFile(s.target + "/sparse"));
    CPPUNIT_ASSERT(lstatOf(s.target + "/sparse").st_blocks < 512);  // nor on disk
  }

  // What a tree hash takes instead of reading the files back: the ContentDigest of exactly
  // what is on disk, holes included, by inode (a hard link adds no entry of its own).
  void fileDigestsMatchTheContentWritten() {
    Sandbox s;
    std::string sparse(3 << 20, '\0');
    sparse.replace(0, 4096, std::string(4096, 'A'));
    sparse.replace(2 << 20, 4096, std::string(4096, 'B'));
    TarBuilder t;
    t.dir("d")
        .file("d/a", "alpha\n")
        .file("d/empty", "")
        .sparseFile("d/sparse", sparse, {{0, 4096}, {2 << 20, 4096}});
    t.hardlink("d/a-link", "d/a").symlink("d/sym", "a");
    FileDigests digests;
    ExtractOptions o;
    o.fileDigests = &digests;
    auto r = extractTar(s.archive(t.finish()), s.target, o);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t{3}, digests.size());
    for (const char* name : {"d/a", "d/empty", "d/sparse", "d/a-link"}) {
      const std::string path = s.target + "/" + name;
      struct stat st = lstatOf(path);
      auto it = digests.find({st.st_dev, st.st_ino});
      CPPUNIT_ASSERT_MESSAGE(name, it != digests.end());
      CPPUNIT_ASSERT_EQUAL(static_cast<std::uint64_t>(st.st_size), it->second.size);
      const std::string want = referenceContentDigest(readFile(path));
      const auto& got = it->second.digest;
      CPPUNIT_ASSERT_MESSAGE(name, std::string(got.begin(), got.end()) == want);
    }
  }

  void ownershipCanBeLeftAlone() {
    Sandbox s;
    EntryAttrs owned;
    owned.uid = 4321;
    owned.gid = 4321;
    TarBuilder t;
    t.file("f", "f", owned);
    ExtractOptions o;
    o.preserveOwnership = false;
    auto r = extractTar(s.archive(t.finish()), s.target, o);
    CPPUNIT_ASSERT(r.ok());
    CPPUNIT_ASSERT_EQUAL(::geteuid(), lstatOf(s.target + "/f").st_uid);
  }

 private:
  static unsigned mode(const std::string& p) {
    return static_cast<unsigned>(lstatOf(p).st_mode & 07777);
  }

  static std::string readLink(const std::string& p) {
    char buf[4096];
    ssize_t n = ::readlink(p.c_str(), buf, sizeof buf);
    return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
  }

  static std::string xattr(const std::string& p, const std::string& name) {
    char buf[256];
    ssize_t n = ::lgetxattr(p.c_str(), name.c_str(), buf, sizeof buf);
    return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
  }

  static std::string whitelistTar() {
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs").dir("rootfs/bin").file("rootfs/bin/sh", "sh");
    t.file("rootfs/bin/ls", "ls").dir("rootfs/etc", withMode(0700)).file("rootfs/etc/hosts", "h");
    t.file("rootfs/etc/shadow", "s").dir("rootfs/var").dir("rootfs/var/empty");
    return t.finish();
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArchiveExtractTest);
