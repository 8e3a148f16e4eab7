// `rkt image gc`: which images are old enough, and which trees pods still refer to.
#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "rkt/core/image/gc.hpp"

using namespace rkt::image;
namespace fs = std::filesystem;

class ImageGcTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ImageGcTest);
  CPPUNIT_TEST(candidatesAreOldAndUnused);
  CPPUNIT_TEST(referencedTreesComeFromPods);
  CPPUNIT_TEST(unreadablePodsKeepEverything);
  CPPUNIT_TEST(runningImagesComeFromRunningPods);
  CPPUNIT_TEST_SUITE_END();

  std::string dir_;

  static ImageRecord image(char c, std::int64_t lastUsedSecondsAgo, std::int64_t now) {
    ImageRecord r;
    r.key = "sha512-" + std::string(64, c);
    r.lastUsed = now - lastUsedSecondsAgo * 1000000000LL;
    return r;
  }

  void write(const std::string& rel, const std::string& content) {
    fs::create_directories(fs::path(dir_ + "/" + rel).parent_path());
    std::ofstream(dir_ + "/" + rel) << content;
  }

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-imggc-XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
  }
  void tearDown() override { fs::remove_all(dir_); }

  void candidatesAreOldAndUnused() {
    const auto now = std::chrono::system_clock::now();
    const std::int64_t n =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    std::vector<ImageRecord> images = {image('a', 10, n), image('b', 7200, n), image('c', 90000, n),
                                       image('d', 100000, n)};
    // d is used by a running pod that names its full 128-digit ID.
    std::set<std::string> inUse = {"sha512-" + std::string(128, 'd')};
    auto keys = gcImageCandidates(images, std::chrono::hours(1), inUse, now);
    CPPUNIT_ASSERT_EQUAL(std::size_t{2}, keys.size());
    CPPUNIT_ASSERT_EQUAL(images[2].key, keys[0]);  // least recently used first
    CPPUNIT_ASSERT_EQUAL(images[1].key, keys[1]);
    CPPUNIT_ASSERT(gcImageCandidates(images, std::chrono::hours(48), {}, now).empty());
    CPPUNIT_ASSERT_EQUAL(std::size_t{4},
                         gcImageCandidates(images, std::chrono::seconds(0), {}, now).size());
  }

  void referencedTreesComeFromPods() {
    const std::string u1 = "11111111-2222-3333-4444-555555555555";
    const std::string u2 = "66666666-7777-8888-9999-aaaaaaaaaaaa";
    const std::string u3 = "bbbbbbbb-7777-8888-9999-aaaaaaaaaaaa";
    const std::string u4 = "cccccccc-7777-8888-9999-aaaaaaaaaaaa";
    const std::string u5 = "dddddddd-7777-8888-9999-aaaaaaaaaaaa";
    const std::string u6 = "eeeeeeee-7777-8888-9999-aaaaaaaaaaaa";
    write("pods/run/" + u1 + "/stage1TreeStoreID", "deps-sha512-s1\n");
    write("pods/run/" + u1 + "/appsinfo/web/treeStoreID", "deps-sha512-web");
    write("pods/run/" + u1 + "/appsinfo/db/treeStoreID", "deps-sha512-db");
    write("pods/prepared/" + u2 + "/stage1TreeStoreID", "deps-sha512-s2");
    // A plugin flavor writes no stage1TreeStoreID: its apps' trees still count.
    write("pods/prepared/" + u3 + "/appsinfo/app/treeStoreID", "deps-sha512-fly");
    // An app copied without overlay has no tree; a garbage pod not yet deleted keeps its trees.
    write("pods/run/" + u4 + "/appsinfo/copied/manifest", "{}");
    write("pods/garbage/" + u5 + "/appsinfo/old/treeStoreID", "deps-sha512-garbage");
    write("pods/embryo/" + u6 + "/appsinfo/new/treeStoreID", "deps-sha512-embryo");
    std::vector<std::string> warnings;
    auto ids = referencedTreeIds(dir_, [&](const std::string& w) { warnings.push_back(w); });
    CPPUNIT_ASSERT(ids.ok());
    CPPUNIT_ASSERT(warnings.empty());
    CPPUNIT_ASSERT(ids->complete);
    const std::set<std::string> want = {
        "deps-sha512-s1",  "deps-sha512-web",     "deps-sha512-db",    "deps-sha512-s2",
        "deps-sha512-fly", "deps-sha512-garbage", "deps-sha512-embryo"};
    CPPUNIT_ASSERT(want == ids->ids);
  }

  void unreadablePodsKeepEverything() {
    const std::string u = "11111111-2222-3333-4444-555555555555";
    const std::string v = "22222222-2222-3333-4444-555555555555";
    fs::create_directories(dir_ + "/pods/prepare/" + u);  // nothing recorded yet: no reference
    write("pods/prepared/" + v + "/appsinfo/app/treeStoreID", "../escape");
    std::vector<std::string> warnings;
    auto ids = referencedTreeIds(dir_, [&](const std::string& w) { warnings.push_back(w); });
    CPPUNIT_ASSERT(ids.ok());
    CPPUNIT_ASSERT(!ids->complete);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
    CPPUNIT_ASSERT(warnings[0].find("cannot get the treestoreIDs of pod " + v) == 0);
    CPPUNIT_ASSERT(warnings[0].find("keeping every tree") != std::string::npos);
    // No pods directory at all: nothing referenced, no error.
    auto none = referencedTreeIds(dir_ + "/nothing", [](const std::string&) {});
    CPPUNIT_ASSERT(none.ok());
    CPPUNIT_ASSERT(none->complete);
    CPPUNIT_ASSERT(none->ids.empty());
  }

  void runningImagesComeFromRunningPods() {
    // A pod in run/ whose lock nobody holds is exited, not running: its images are not in use.
    const std::string u = "11111111-2222-3333-4444-555555555555";
    write(
        "pods/run/" + u + "/pod",
        R"({"acVersion":"1.30.0","acKind":"PodManifest","apps":[{"name":"a","image":{"name":"x","id":"sha512-)" +
            std::string(64, 'e') + R"("}}]})");
    auto ids = runningImageIds(dir_, [](const std::string&) {});
    CPPUNIT_ASSERT(ids.ok());
    CPPUNIT_ASSERT(ids->ids.empty());
    // Locked: running.
    const int fd = ::open((dir_ + "/pods/run/" + u).c_str(), O_RDONLY | O_DIRECTORY);
    CPPUNIT_ASSERT(fd >= 0);
    CPPUNIT_ASSERT_EQUAL(0, ::flock(fd, LOCK_EX));
    ids = runningImageIds(dir_, [](const std::string&) {});
    ::close(fd);
    CPPUNIT_ASSERT(ids.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, ids->ids.size());
    CPPUNIT_ASSERT_EQUAL("sha512-" + std::string(64, 'e'), *ids->ids.begin());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ImageGcTest);
