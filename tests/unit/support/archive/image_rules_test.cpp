// The image rules (support/archive/src/image_rules.hpp): import and extraction with
// ExtractOptions::imageRules (render, `rkt image extract`) accept and refuse the same images,
// with the same message naming the entry, and a refused extraction writes nothing of the
// offending entry.
#include "support/archive/archive_fixture.hpp"

#include <rkt/support/archive/extract.hpp>
#include <rkt/support/archive/image_limits.hpp>
#include <rkt/support/archive/import.hpp>

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <string>
#include <vector>

using namespace rkt::archive;           // NOLINT: test file
using namespace rkt::archive::testing;  // NOLINT: test file

class ArchiveImageRulesTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ArchiveImageRulesTest);
  CPPUNIT_TEST(validImagePassesBoth);
  CPPUNIT_TEST(structureRulesRefusedByBoth);
  CPPUNIT_TEST(limitsRefusedByBoth);
  CPPUNIT_TEST(deepPathRefusedAtItsEntry);
  CPPUNIT_TEST(rulesApplyOutsideThePrefix);
  CPPUNIT_TEST(withoutRulesAnyTarExtracts);
  CPPUNIT_TEST_SUITE_END();

 public:
  void validImagePassesBoth() {
    TarBuilder t;
    t.dir("./").file("./manifest", "{}").dir("rootfs").file("rootfs/a/b/c", "c");
    t.dir("rootfs/a").dir("rootfs/a/b");  // listed after entries below them: fine
    t.symlink("rootfs/l", "a/b").hardlink("rootfs/l2", "rootfs/l");
    t.hardlink("rootfs/c2", "rootfs/./a/b/c").fifo("rootfs/fifo");
    const std::string tar = t.finish();
    Sandbox s;
    auto imported = importAci(s.archive(tar), s.root + "/outdir");
    CPPUNIT_ASSERT_MESSAGE(imported ? "" : imported.error().message, imported.ok());
    imported->blob = PendingFile();  // removed
    auto extracted = extractTar(s.archive(tar), s.target, withRules());
    CPPUNIT_ASSERT_MESSAGE(extracted ? "" : extracted.error().message, extracted.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("c"), readFile(s.target + "/rootfs/c2"));
  }

  void structureRulesRefusedByBoth() {
    struct Case {
      std::function<void(TarBuilder&)> add;
      std::string entry;
      std::string needle;
    };
    std::vector<Case> cases = {
        {[](TarBuilder& t) { t.symlink("rootfs/l", "/etc").file("rootfs/l/passwd", "x"); },
         "rootfs/l/passwd", "`rootfs/l` is a symlink in the image, refusing to write through it"},
        {[](TarBuilder& t) { t.file("rootfs/f", "f").dir("rootfs/f/d"); }, "rootfs/f/d/",
         "`rootfs/f` is not a directory in the image"},
        {[](TarBuilder& t) { t.fifo("rootfs/p").file("rootfs/p/x", "x"); }, "rootfs/p/x",
         "`rootfs/p` is not a directory in the image"},
        {[](TarBuilder& t) { t.file("rootfs/d", "1").file("rootfs/./d", "2"); }, "rootfs/./d",
         "the image lists `rootfs/d` twice"},
        {[](TarBuilder& t) { t.file("rootfs/d/x", "x").symlink("rootfs/d", "/"); }, "rootfs/d",
         "not a directory, but earlier entries of the image are below it"},
        {[](TarBuilder& t) { t.hardlink("rootfs/h", "rootfs/later").file("rootfs/later", "x"); },
         "rootfs/h", "hard link target `rootfs/later` is not an earlier entry of the image"},
        {[](TarBuilder& t) { t.file("rootfs/a/x", "x").hardlink("rootfs/h", "rootfs/a"); },
         "rootfs/h", "hard link target `rootfs/a` is not an earlier entry of the image"},
        {[](TarBuilder& t) { t.dir("rootfs/d").hardlink("rootfs/h", "rootfs/d"); }, "rootfs/h",
         "hard link target `rootfs/d` is a directory"},
        {[](TarBuilder& t) { t.hardlink("rootfs/h", "manifest"); }, "rootfs/h",
         "hard link target `manifest` is outside the image's `rootfs`"},
        {[](TarBuilder& t) { t.hardlink("rootfs/h", "rootfs/../../etc/passwd"); }, "rootfs/h",
         "hard link target `rootfs/../../etc/passwd` is outside the image's `rootfs`"},
        {[](TarBuilder& t) { t.file("etc/passwd", "x"); }, "etc/passwd",
         "unrecognized path: an ACI holds only `manifest` and `rootfs/`"},
        {[](TarBuilder& t) { t.file("/rootfs/x", "x"); }, "/rootfs/x", "unrecognized path"},
        {[](TarBuilder& t) { t.file("rootfs/../../x", "x"); }, "rootfs/../../x",
         "the name climbs out of the archive root with `..`"},
        {[](TarBuilder& t) { t.file("manifest", "{}"); }, "manifest",
         "the image lists `manifest` twice"},
    };
    for (const Case& c : cases) {
      TarBuilder t;
      t.file("manifest", "{}").dir("rootfs");
      c.add(t);
      expectRefusedByBoth(t.finish(), c.entry, c.needle);
    }
    TarBuilder noRootfs;
    noRootfs.file("manifest", "{}").symlink("rootfs", "/");
    expectRefusedByBoth(noRootfs.finish(), "", "no `rootfs` directory in the image");
    TarBuilder noManifest;
    noManifest.dir("rootfs").file("rootfs/x", "x");
    expectRefusedByBoth(noManifest.finish(), "", "no `manifest` entry in the image");
  }

  void limitsRefusedByBoth() {
    ImageLimits small;
    small.maxPathDepth = 3;
    small.maxPathLength = 20;
    small.maxNameLength = 8;
    small.maxEntries = 6;  // `manifest`, `rootfs` and 4 more
    small.maxManifestSize = 100;
    struct Case {
      std::function<void(TarBuilder&)> add;
      std::string entry;
      std::string needle;
    };
    std::vector<Case> cases = {
        {[](TarBuilder& t) { t.file("rootfs/a/b/c/d", "x"); }, "rootfs/a/b/c/d",
         "path depth 4 exceeds the limit of 3"},
        {[](TarBuilder& t) { t.file("rootfs/abcdefg/abcdefg/abcdefg", "x"); },
         "rootfs/abcdefg/abcdefg/abcdefg", "path length 24 exceeds the limit of 20 bytes"},
        {[](TarBuilder& t) { t.file("rootfs/abcdefghi", "x"); }, "rootfs/abcdefghi",
         "name `abcdefghi`: name length 9 exceeds the limit of 8 bytes"},
        {[](TarBuilder& t) { t.symlink("rootfs/l", std::string(21, 'x')); }, "rootfs/l",
         "symlink target length 21 exceeds the limit of 20 bytes"},
        {[](TarBuilder& t) {
           t.file("rootfs/a", "").file("rootfs/b", "").file("rootfs/c", "").file("rootfs/d/e", "");
         },
         "rootfs/d/e", "entry count 7 exceeds the limit of 6"},
    };
    for (const Case& c : cases) {
      TarBuilder t;
      t.file("manifest", "{}").dir("rootfs");
      c.add(t);
      expectRefusedByBoth(t.finish(), c.entry, c.needle, small);
    }
    TarBuilder big;
    big.file("manifest", std::string(101, ' ')).dir("rootfs");
    expectRefusedByBoth(big.finish(), "manifest",
                        "manifest size 101 exceeds the limit of 100 bytes", small);
    // At the limits exactly: accepted.
    TarBuilder edge;
    edge.file("manifest", std::string(100, ' ')).dir("rootfs").file("rootfs/abcdefgh/b/c", "");
    Sandbox s;
    auto r = extractTar(s.archive(edge.finish()), s.target, withRules(small));
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
  }

  // The default limits refuse the 40,000-level name of issue 9 at its own entry, in a message
  // of one short line.
  void deepPathRefusedAtItsEntry() {
    std::string deep = "rootfs";
    for (int i = 0; i < 40000; ++i)
      deep += "/d";
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs").file(deep + "/f", "x");
    Sandbox s;
    const std::string tar = t.finish();
    auto imported = importAci(s.archive(tar), s.root + "/outdir");
    CPPUNIT_ASSERT(!imported.ok());
    const std::string& m = imported.error().message;
    CPPUNIT_ASSERT_MESSAGE(m, contains(m, "path depth 40001 exceeds the limit of 1024"));
    CPPUNIT_ASSERT_MESSAGE(m, m.size() < 400 && !contains(m, "\n"));
    auto extracted = extractTar(s.archive(tar), s.target, withRules());
    CPPUNIT_ASSERT(!extracted.ok());
    CPPUNIT_ASSERT_MESSAGE(extracted.error().message,
                           contains(extracted.error().message, "path depth 40001"));
    CPPUNIT_ASSERT(!exists(s.target + "/rootfs/d"));  // nothing of it was written
  }

  void rulesApplyOutsideThePrefix() {
    // `rkt image extract --rootfs-only` extracts rootfs/ alone, but the whole image must pass.
    TarBuilder t;
    t.file("manifest", "{}").dir("rootfs").file("rootfs/x", "x").file("extra", "");
    ExtractOptions o = withRules();
    o.prefix = "rootfs";
    o.stripPrefix = true;
    Sandbox s;
    auto r = extractTar(s.archive(t.finish()), s.target, o);
    CPPUNIT_ASSERT(!r.ok());
    CPPUNIT_ASSERT_MESSAGE(r.error().message,
                           contains(r.error().message, "entry `extra`: unrecognized path"));
  }

  void withoutRulesAnyTarExtracts() {
    TarBuilder t;
    t.file("etc/x", "1").file("etc/x", "2");
    Sandbox s;
    auto r = extractTar(s.archive(t.finish()), s.target);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("2"), readFile(s.target + "/etc/x"));
  }

 private:
  static bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
  }

  static ExtractOptions withRules(const ImageLimits& limits = ImageLimits()) {
    ExtractOptions o;
    o.imageRules = limits;
    o.context = "cannot extract image `example.com/x`";
    return o;
  }

  // Import and extraction both refuse `tar`; the message names the entry (when there is one)
  // and holds `needle`; import leaves no temp file.
  static void expectRefusedByBoth(const std::string& tar, const std::string& entry,
                                  const std::string& needle,
                                  const ImageLimits& limits = ImageLimits()) {
    const std::string what = entry.empty() ? needle : "entry `" + entry + "`: " + needle;
    Sandbox s;
    ImportOptions io;
    io.limits = limits;
    auto imported = importAci(s.archive(tar, "bad.aci"), s.root + "/outdir", io);
    CPPUNIT_ASSERT_MESSAGE("import should refuse: " + what, !imported.ok());
    CPPUNIT_ASSERT_MESSAGE(
        imported.error().message,
        contains(imported.error().message, "cannot import `" + s.root + "/in/bad.aci`: " + what));
    CPPUNIT_ASSERT(listTree(s.root + "/outdir").empty());
    auto extracted = extractTar(s.archive(tar, "bad.aci"), s.target, withRules(limits));
    CPPUNIT_ASSERT_MESSAGE("extraction should refuse: " + what, !extracted.ok());
    CPPUNIT_ASSERT_MESSAGE(
        extracted.error().message,
        contains(extracted.error().message, "cannot extract image `example.com/x`: " + what));
    s.assertContained();
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ArchiveImageRulesTest);
