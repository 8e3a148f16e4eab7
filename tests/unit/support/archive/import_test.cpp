// One-pass import: key, blob, size and manifest from every allowed compression.
#include "support/archive/archive_fixture.hpp"

#include <rkt/support/archive/file.hpp>
#include <rkt/support/archive/import.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

using namespace rkt::archive;           // NOLINT: test file
using namespace rkt::archive::testing;  // NOLINT: test file

class ArchiveImportTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArchiveImportTest);
  CPPUNIT_TEST(allCompressionsGiveTheSameKeyAndBytes);
  CPPUNIT_TEST(detectsCompressionByContent);
  CPPUNIT_TEST(manifestAnywhereInTheTar);
  CPPUNIT_TEST(readsFromAPipe);
  CPPUNIT_TEST(multiMemberGzipAndPadding);
  CPPUNIT_TEST(trailingGarbageAfterGzip);
  CPPUNIT_TEST(manifestProblems);
  CPPUNIT_TEST(unsupportedInput);
  CPPUNIT_TEST(corruptBzip2AndXz);
  CPPUNIT_TEST(publishMovesTheBlob);
  CPPUNIT_TEST_SUITE_END();

 public:
  void allCompressionsGiveTheSameKeyAndBytes() {
    Sandbox s;
    const std::string& tar = imageTar();
    const std::string want = sha512Hex(tar);
    for (auto c : {Compression::None, Compression::Gzip, Compression::Bzip2, Compression::Xz}) {
      auto r = importAci(s.archive(compressed(c)), s.target);
      CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
      CPPUNIT_ASSERT_EQUAL(c, r->compression);
      CPPUNIT_ASSERT_EQUAL(want, r->sha512);
      CPPUNIT_ASSERT_EQUAL("sha512-" + want.substr(0, 64), r->key);
      CPPUNIT_ASSERT_EQUAL(static_cast<std::uint64_t>(tar.size()), r->size);
      CPPUNIT_ASSERT_EQUAL(std::string(kManifest), r->manifest);
      CPPUNIT_ASSERT(tar == readFile(r->blob.path()));
      CPPUNIT_ASSERT_EQUAL(std::size_t(1), listTree(s.target).size());
    }
    CPPUNIT_ASSERT(listTree(s.target).empty());  // blobs not published are removed
  }

  void detectsCompressionByContent() {
    Sandbox s;
    auto gz = importAci(s.archive(compressed(Compression::Gzip), "image.tar.xz"), s.target);
    CPPUNIT_ASSERT(gz.ok());
    CPPUNIT_ASSERT_EQUAL(Compression::Gzip, gz->compression);
    auto xz = importAci(s.archive(compressed(Compression::Xz), "image.tar"), s.target);
    CPPUNIT_ASSERT(xz.ok());
    CPPUNIT_ASSERT_EQUAL(Compression::Xz, xz->compression);
    CPPUNIT_ASSERT_EQUAL(gz->key, xz->key);
  }

  void manifestAnywhereInTheTar() {
    Sandbox s;
    TarBuilder t;
    t.dir("rootfs").file("rootfs/big", noise(3 << 20, 1)).file("./manifest", "{\"last\":1}");
    auto r = importAci(s.archive(compress(t.finish(), Compression::Gzip)), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("{\"last\":1}"), r->manifest);
  }

  void readsFromAPipe() {
    Sandbox s;
    const std::string& tar = imageTar();
    const std::string& xz = compressed(Compression::Xz);
    int p[2];
    CPPUNIT_ASSERT_EQUAL(0, ::pipe(p));
    std::thread writer([&] {
      // Small writes: detection and decoding must cope with short reads.
      for (std::size_t i = 0; i < xz.size(); i += 3000) {
        std::size_t n = std::min<std::size_t>(3000, xz.size() - i);
        if (::write(p[1], xz.data() + i, n) != static_cast<ssize_t>(n))
          break;
      }
      ::close(p[1]);
    });
    auto r = importAciFd(p[0], "stdin", s.target);
    writer.join();
    ::close(p[0]);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL("sha512-" + sha512Hex(tar).substr(0, 64), r->key);
  }

  void multiMemberGzipAndPadding() {
    Sandbox s;
    const std::string& tar = imageTar();
    const std::size_t half = tar.size() / 2;
    // Two gzip members (what `cat a.gz b.gz` or pigz produce), then zero padding.
    std::string gz = compress(tar.substr(0, half), Compression::Gzip) +
                     compress(tar.substr(half), Compression::Gzip) + std::string(1000, '\0');
    auto r = importAci(s.archive(gz), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(sha512Hex(tar), r->sha512);
  }

  void trailingGarbageAfterGzip() {
    Sandbox s;
    std::string gz = compressed(Compression::Gzip) + "garbage";
    auto r = importAci(s.archive(gz), s.target);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(
        r.error().message,
        r.error().message.find("trailing garbage after gzip data") != std::string::npos);
    CPPUNIT_ASSERT(listTree(s.target).empty());
  }

  void manifestProblems() {
    Sandbox s;
    struct Case {
      std::string tar;
      std::string needle;
    };
    std::vector<Case> cases;
    {
      TarBuilder t;
      t.file("manifest", "{}").dir("rootfs").file("manifest", "{}");
      cases.push_back({t.finish(), "entry `manifest`: the image lists `manifest` twice"});
    }
    {
      TarBuilder t;
      t.dir("manifest").dir("rootfs");
      cases.push_back({t.finish(), "`manifest` entry is not a regular file"});
    }
    {
      TarBuilder t;
      t.symlink("manifest", "/etc/passwd").dir("rootfs");
      cases.push_back({t.finish(), "`manifest` entry is not a regular file"});
    }
    {
      TarBuilder t;
      t.file("/manifest", "{}").dir("rootfs");  // appc cleans names; `/manifest` is not it
      cases.push_back({t.finish(), "entry `/manifest`: unrecognized path"});
    }
    for (const auto& c : cases) {
      auto r = importAci(s.archive(compress(c.tar, Compression::Gzip), "bad.aci"), s.target);
      CPPUNIT_ASSERT(!r.ok());
      const std::string& m = r.error().message;
      CPPUNIT_ASSERT_MESSAGE(m, m.find(c.needle) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(m, m.rfind("cannot import `" + s.root + "/in/bad.aci`: ", 0) == 0);
      CPPUNIT_ASSERT(listTree(s.target).empty());
    }
    ImportOptions small;
    small.limits.maxManifestSize = 10;
    auto r = importAci(s.archive(imageTar()), s.target, small);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(
        r.error().message,
        r.error().message.find("exceeds the limit of 10 bytes") != std::string::npos);
    CPPUNIT_ASSERT(listTree(s.target).empty());
  }

  void unsupportedInput() {
    Sandbox s;
    auto expect = [&](const std::string& bytes, const std::string& needle) {
      auto r = importAci(s.archive(bytes), s.target);
      CPPUNIT_ASSERT(!r.ok());
      CPPUNIT_ASSERT_MESSAGE(r.error().message,
                             r.error().message.find(needle) != std::string::npos);
      CPPUNIT_ASSERT(listTree(s.target).empty());
    };
    expect("", "empty file");
    expect(std::string("\x28\xb5\x2f\xfd", 4) + "zstd frame", "zstd compression is not allowed");
    expect("just some text that is not a tar archive at all", "not a tar archive");
    auto missing = importAci(s.root + "/in/missing.aci", s.target);
    CPPUNIT_ASSERT(!missing.ok());
    CPPUNIT_ASSERT_EQUAL(ENOENT, missing.error().sysErrno);
    CPPUNIT_ASSERT(missing.error().message.find("no such file or directory") != std::string::npos);
  }

  void corruptBzip2AndXz() {
    Sandbox s;
    for (auto c : {Compression::Bzip2, Compression::Xz}) {
      const std::string& z = compressed(c);
      std::string truncated = z.substr(0, z.size() / 2);
      std::string flipped = z;
      for (std::size_t i = z.size() / 2; i < z.size() / 2 + 16; ++i)
        flipped[i] = ~flipped[i];
      for (const auto& bad : {truncated, flipped}) {
        auto r = importAci(s.archive(bad), s.target);
        CPPUNIT_ASSERT(!r.ok());
        CPPUNIT_ASSERT_MESSAGE(r.error().message,
                               r.error().message.find(compressionName(c)) != std::string::npos ||
                                   r.error().message.find("truncated") != std::string::npos);
        CPPUNIT_ASSERT(listTree(s.target).empty());
      }
    }
  }

  void publishMovesTheBlob() {
    Sandbox s;
    const std::string& tar = imageTar();
    auto r = importAci(s.archive(compressed(Compression::Gzip)), s.target);
    CPPUNIT_ASSERT(r.ok());
    std::string tmp = r->blob.path();
    std::string final = s.root + "/outdir/" + r->key;
    auto st = r->blob.publish(final, 0640);
    CPPUNIT_ASSERT_MESSAGE(st ? "" : st.error().message, st.ok());
    CPPUNIT_ASSERT(!exists(tmp));
    CPPUNIT_ASSERT(tar == readFile(final));
    CPPUNIT_ASSERT_EQUAL(0640u, static_cast<unsigned>(lstatOf(final).st_mode & 07777));
    CPPUNIT_ASSERT(!r->blob.valid());
    ::unlink(final.c_str());

    auto other = PendingFile::create(s.target, "x-");
    CPPUNIT_ASSERT(other.ok());
    std::string kept = other->release();
    CPPUNIT_ASSERT(exists(kept));
    auto moved = renameDurably(kept, s.target + "/renamed");
    CPPUNIT_ASSERT(moved.ok());
    CPPUNIT_ASSERT(exists(s.target + "/renamed"));
    auto bad = PendingFile::create(s.root + "/nope", "x-");
    CPPUNIT_ASSERT(!bad.ok());
  }

 private:
  static constexpr const char* kManifest =
      "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/t\"}";

  // Larger than several stream chunks, so data crosses chunk boundaries everywhere. Built and
  // compressed once (xz and bzip2 of a few MB are slow).
  static const std::string& imageTar() {
    static const std::string tar = [] {
      TarBuilder t;
      t.file("manifest", kManifest).dir("rootfs").dir("rootfs/bin");
      t.file("rootfs/bin/a", noise(1500000, 3)).file("rootfs/bin/b", std::string(1500000, 'b'));
      t.symlink("rootfs/bin/c", "a");
      return t.finish();
    }();
    return tar;
  }

  static const std::string& compressed(Compression c) {
    static std::map<Compression, std::string> cache;
    auto it = cache.find(c);
    if (it == cache.end())
      it = cache.emplace(c, compress(imageTar(), c)).first;
    return it->second;
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArchiveImportTest);
