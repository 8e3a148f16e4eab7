// support/oci Layout and importOciLayout: choosing an image by reference and platform, digest
// and size checks before use, and the squash of layers (whiteouts, opaque directories, a file
// replacing a directory, hard links into lower layers) into the ACI the store imports.
#include <archive.h>
#include <archive_entry.h>
#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>
#include <string>

#include "../archive/archive_fixture.hpp"
#include "oci_fixture.hpp"
#include "rkt/support/oci/import.hpp"
#include "rkt/support/oci/layout.hpp"

using oci_test::config;
using oci_test::LayoutBuilder;
using namespace rkt::archive::testing;

namespace {

const rkt::schema::OsArch kAmd64{"linux", "amd64"};

// Names of an ACI's entries, with "->target" for hard links.
std::set<std::string> aciEntries(const std::string& path) {
  std::set<std::string> out;
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  CPPUNIT_ASSERT_EQUAL(ARCHIVE_OK, archive_read_open_filename(a, path.c_str(), 65536));
  struct archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    const char* hl = archive_entry_hardlink(e);
    out.insert(std::string(archive_entry_pathname(e)) + (hl ? std::string("->") + hl : ""));
  }
  archive_read_free(a);
  return out;
}

// Imports into S/target/tmp, for amd64, as image `a` of `oci:layout:a`.
rkt::oci::ImportContext importContext(const Sandbox& s) {
  rkt::oci::ImportContext ctx;
  ctx.tmpDir = s.target + "/tmp";
  ::mkdir(ctx.tmpDir.c_str(), 0755);
  ctx.naming = {"a", "", "oci:layout:a", "", ""};
  ctx.platform = kAmd64;
  return ctx;
}

}  // namespace

class OciLayoutTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OciLayoutTest);
  CPPUNIT_TEST(choosesByReferenceAndPlatform);
  CPPUNIT_TEST(refusesWhatItCannotTrust);
  CPPUNIT_TEST(squashesLayers);
  CPPUNIT_TEST(writesLayoutsForFetchers);
  CPPUNIT_TEST_SUITE_END();

 public:
  void choosesByReferenceAndPlatform() {
    Sandbox s;
    LayoutBuilder b(s.target + "/layout");
    std::string layer = TarBuilder().file("f", "x").finish();
    std::string amd = b.image(config("amd64", R"({"Cmd":["amd"]})"), {layer});
    std::string arm = b.image(config("arm64", R"({"Cmd":["arm"]})"), {layer});
    b.index({LayoutBuilder::forPlatform(amd, "amd64"), LayoutBuilder::forPlatform(arm, "arm64")});
    auto layout = rkt::oci::Layout::open(b.dir());
    CPPUNIT_ASSERT_MESSAGE(layout ? "" : layout.error().message, layout);
    auto amdImage = layout->resolve("", kAmd64);
    CPPUNIT_ASSERT_MESSAGE(amdImage ? "" : amdImage.error().message, amdImage);
    CPPUNIT_ASSERT(amdImage->configJson.find("\"amd\"") != std::string::npos);
    auto armImage = layout->resolve("", {"linux", "aarch64"});
    CPPUNIT_ASSERT(armImage && armImage->configJson.find("\"arm\"") != std::string::npos);
    auto none = layout->resolve("", {"linux", "ppc64le"});
    CPPUNIT_ASSERT(!none);
    CPPUNIT_ASSERT(none.error().message.find("none is for linux/ppc64le (linux/amd64, "
                                             "linux/arm64)") != std::string::npos);

    b.index({LayoutBuilder::named(amd, "a:1"), LayoutBuilder::named(arm, "b:2")});
    layout = rkt::oci::Layout::open(b.dir());
    auto missing = layout->resolve("c:3", kAmd64);
    CPPUNIT_ASSERT(!missing);
    CPPUNIT_ASSERT(missing.error().message.find("has no image `c:3` (it has: a:1, b:2)") !=
                   std::string::npos);
    auto byName = layout->resolve("a:1", kAmd64);
    CPPUNIT_ASSERT(byName && byName->refName == "a:1");
    CPPUNIT_ASSERT(byName->configJson.find("\"amd\"") != std::string::npos);
  }

  void refusesWhatItCannotTrust() {
    Sandbox s;
    LayoutBuilder b(s.target + "/layout");
    std::string layer = TarBuilder().file("f", "x").finish();
    std::string desc = b.image(config("amd64", "{}"), {layer});
    b.index({LayoutBuilder::named(desc, "a")});
    // A layer whose bytes changed after the manifest recorded its digest.
    oci_test::writeText(b.dir() + "/blobs/sha256/" + oci_test::sha256(layer).substr(7),
                        TarBuilder().file("f", "y").finish());
    const rkt::oci::ImportContext ctx = importContext(s);
    auto r = rkt::oci::importOciLayout(b.dir(), "a", ctx);
    CPPUNIT_ASSERT(!r);
    CPPUNIT_ASSERT_MESSAGE(r.error().message, r.error().message.find("does not match its digest") !=
                                                  std::string::npos);
    CPPUNIT_ASSERT(listTree(ctx.tmpDir).empty());  // nothing left behind

    // A digest that would name a path outside blobs/.
    oci_test::writeText(b.dir() + "/index.json",
                        R"({"schemaVersion":2,"manifests":[{"mediaType":"x","digest":)"
                        R"("sha256:../../../etc/passwd","size":1}]})");
    auto bad = rkt::oci::Layout::open(b.dir());
    CPPUNIT_ASSERT(!bad);
    CPPUNIT_ASSERT(bad.error().message.find("malformed digest") != std::string::npos);
    oci_test::writeText(b.dir() + "/oci-layout", R"({"imageLayoutVersion":"2.0.0"})");
    auto version = rkt::oci::Layout::open(b.dir());
    CPPUNIT_ASSERT(!version);
    CPPUNIT_ASSERT(version.error().message.find("unsupported imageLayoutVersion `2.0.0`") !=
                   std::string::npos);
  }

  void squashesLayers() {
    Sandbox s;
    LayoutBuilder b(s.target + "/layout");
    std::string base = TarBuilder()
                           .dir("gone")
                           .file("gone/f", "1")
                           .dir("opq")
                           .file("opq/lower", "2")
                           .dir("hl")
                           .file("hl/orig", "3")
                           .dir("dir")
                           .file("dir/inner", "4")
                           .finish();
    std::string upper = TarBuilder()
                            .file(".wh.gone", "")
                            .dir("opq")
                            .file("opq/upper", "5")
                            .file("opq/.wh..wh..opq", "")
                            .hardlink("hl/link", "hl/orig")
                            .file("dir", "now a file")
                            .finish();
    b.index({LayoutBuilder::named(b.image(config("amd64", "{}"), {base, upper}), "a")});
    const rkt::oci::ImportContext ctx = importContext(s);
    auto r = rkt::oci::importOciLayout(b.dir(), "a", ctx);
    CPPUNIT_ASSERT_MESSAGE(r ? "" : r.error().message, r);
    std::set<std::string> entries = aciEntries(r->aciPath);
    CPPUNIT_ASSERT(entries.count("manifest"));
    CPPUNIT_ASSERT(entries.count("rootfs/opq/upper"));
    CPPUNIT_ASSERT(!entries.count("rootfs/opq/lower"));  // opaque: the lower content goes,
    CPPUNIT_ASSERT(!entries.count("rootfs/gone"));       // even listed after the upper file
    CPPUNIT_ASSERT(!entries.count("rootfs/gone/f"));
    CPPUNIT_ASSERT(!entries.count("rootfs/.wh.gone"));
    CPPUNIT_ASSERT(entries.count("rootfs/dir"));
    CPPUNIT_ASSERT(!entries.count("rootfs/dir/inner"));
    // One inode: the writer stores it under its first path in walk order, then links.
    CPPUNIT_ASSERT(entries.count("rootfs/hl/link"));
    CPPUNIT_ASSERT(entries.count("rootfs/hl/orig->rootfs/hl/link"));
    CPPUNIT_ASSERT(entries.count("rootfs/dev/stdin"));
    s.assertContained();
    // Only the ACI is left in tmp_dir: the work tree is gone.
    CPPUNIT_ASSERT_EQUAL(size_t(1), listTree(ctx.tmpDir).size());
  }

  // What the docker fetcher does: a fresh layout, blobs downloaded into it, one index entry.
  void writesLayoutsForFetchers() {
    Sandbox s;
    const std::string dir = s.target + "/pull";
    CPPUNIT_ASSERT(rkt::oci::initLayout(dir));
    LayoutBuilder b(dir);  // stores blobs only; the index comes from writeIndex
    std::string layer = TarBuilder().file("f", "x").finish();
    std::string desc = b.image(config("amd64", R"({"Cmd":["x"]})"), {layer});
    auto digestAt = desc.find("sha256:");
    rkt::oci::Descriptor d;
    d.mediaType = rkt::oci::kOciManifest;
    d.digest = desc.substr(digestAt, 71);
    d.size = std::stoll(desc.substr(desc.rfind(':') + 1));
    d.annotations[rkt::oci::kRefNameAnnotation] = "latest";
    d.os = "linux";
    d.arch = "amd64";
    CPPUNIT_ASSERT(rkt::oci::writeIndex(dir, {d}));
    auto layout = rkt::oci::Layout::open(dir);
    CPPUNIT_ASSERT_MESSAGE(layout ? "" : layout.error().message, layout);
    CPPUNIT_ASSERT_EQUAL(size_t(1), layout->manifests().size());
    auto image = layout->resolve("latest", kAmd64);
    CPPUNIT_ASSERT_MESSAGE(image ? "" : image.error().message, image);
    CPPUNIT_ASSERT_EQUAL(d.digest, image->manifest.digest);
    CPPUNIT_ASSERT_EQUAL(size_t(1), image->layers.size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OciLayoutTest);
