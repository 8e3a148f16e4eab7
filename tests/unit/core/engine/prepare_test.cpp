// Engine::prepare (`rkt prepare`): from images in the store to a pod in prepared/, with the
// stage1 the flags select; refusals leave no pod behind where rkt leaves none.
#include <cppunit/extensions/HelperMacros.h>

#include <dirent.h>
#include <unistd.h>

#include "core/engine/engine_test_support.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/schema/pod_manifest.hpp"

using enginetest::Scratch;
using rkt::Engine;
using rkt::pod::Phase;
using rkt::pod::State;

class EnginePrepareTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EnginePrepareTest);
  CPPUNIT_TEST(preparedPodHoldsTheApps);
  CPPUNIT_TEST(flagsSelectTheFlavor);
  CPPUNIT_TEST(tooManyAppsForTheFlavorCreateNoPod);
  CPPUNIT_TEST(missingImageCreatesNoPod);
  CPPUNIT_TEST(podManifestImagesMustBeStored);
  CPPUNIT_TEST(privateUsersRefusedByName);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { scratch_ = std::make_unique<Scratch>(); }
  void tearDown() override { scratch_.reset(); }

  void preparedPodHoldsTheApps() {
    Engine engine = scratch_->open();
    const std::string key = enginetest::importImage(engine, "prepared");
    rkt::PrepareOptions options = enginetest::oneApp(key);
    options.uuidFileSave = scratch_->path() + "/uuid";
    rkt::Result<rkt::pod::Uuid> uuid = engine.prepare(options);
    CPPUNIT_ASSERT_MESSAGE(uuid ? "" : uuid.error().message, uuid.ok());

    rkt::pod::PodDirs dirs = scratch_->podDirs();
    CPPUNIT_ASSERT_EQUAL(State::Prepared, podtest::stateOf(dirs, *uuid));
    CPPUNIT_ASSERT_EQUAL(uuid->str(), enginetest::readFile(options.uuidFileSave));
    const std::string podDir = dirs.podPath(Phase::Prepared, *uuid);
    rkt::Result<rkt::schema::PodManifest> manifest = rkt::schema::parsePodManifest(
        enginetest::readFile(podDir + "/" + rkt::pod::layout::kPodManifest));
    CPPUNIT_ASSERT(manifest.ok());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), manifest->apps.size());
    CPPUNIT_ASSERT_EQUAL(std::string("prepared"), manifest->apps[0].name);
    CPPUNIT_ASSERT_EQUAL(key, manifest->apps[0].image.id);
    // The pod names the flavor that prepared it; the flavor was asked what it runs.
    const std::string flavor(rkt::stage1::defaultFlavor());
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{flavor}, scratch_->stage1->opened);
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"describe"}, scratch_->stage1->calls);
    char target[64] = {};
    CPPUNIT_ASSERT(::readlink((podDir + "/flavor").c_str(), target, sizeof target - 1) > 0);
    CPPUNIT_ASSERT_EQUAL(flavor, std::string(target));
  }

  void flagsSelectTheFlavor() {
    Engine engine = scratch_->open();
    rkt::PrepareOptions options = enginetest::oneApp(enginetest::importImage(engine, "flavored"));
    CPPUNIT_ASSERT(options.stage1.set(rkt::stage1::Stage1Flags::Kind::kName, "nspawn").ok());
    CPPUNIT_ASSERT(engine.prepare(options).ok());
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"nspawn"}, scratch_->stage1->opened);
  }

  void tooManyAppsForTheFlavorCreateNoPod() {
    Engine engine = scratch_->open();
    rkt::PrepareOptions options = enginetest::oneApp(enginetest::importImage(engine, "one"));
    options.apps.create(enginetest::importImage(engine, "two"));
    scratch_->stage1->caps.maxApps = 1;
    rkt::Result<rkt::pod::Uuid> uuid = engine.prepare(options);
    CPPUNIT_ASSERT(!uuid.ok());
    CPPUNIT_ASSERT_EQUAL(
        std::string(rkt::stage1::defaultFlavor()) + " only supports 1 application per Pod for now",
        uuid.error().message);
    CPPUNIT_ASSERT_EQUAL(0, podCount());
  }

  void missingImageCreatesNoPod() {
    Engine engine = scratch_->open();
    rkt::PrepareOptions options = enginetest::oneApp("sha512-" + std::string(64, '0'));
    options.pullPolicy = rkt::image::PullPolicy::kNever;
    CPPUNIT_ASSERT(!engine.prepare(options).ok());
    CPPUNIT_ASSERT_EQUAL(0, podCount());
  }

  void podManifestImagesMustBeStored() {
    Engine engine = scratch_->open();
    const std::string missing = "sha512-" + std::string(64, 'a');
    rkt::PrepareOptions options;
    options.podManifest = scratch_->path() + "/pod.json";
    podtest::writeFile(options.podManifest, R"({"acKind":"PodManifest","acVersion":"0.8.11",)"
                                            R"("apps":[{"name":"a","image":{"id":")" +
                                                missing + R"("}}]})");
    rkt::Result<rkt::pod::Uuid> uuid = engine.prepare(options);
    CPPUNIT_ASSERT(!uuid.ok());
    CPPUNIT_ASSERT_EQUAL(
        "error getting the image manifest from store: image `" + missing + "` is not in the store",
        uuid.error().message);
    CPPUNIT_ASSERT_EQUAL(0, podCount());
  }

  // As in rkt, the pod exists by then: it is left as an aborted prepare for `rkt gc`.
  void privateUsersRefusedByName() {
    Engine engine = scratch_->open();
    rkt::PrepareOptions options = enginetest::oneApp(enginetest::importImage(engine, "userns"));
    options.privateUsers = true;
    rkt::Result<rkt::pod::Uuid> uuid = engine.prepare(options);
    CPPUNIT_ASSERT(!uuid.ok());
    CPPUNIT_ASSERT_EQUAL("--private-users is not supported by stage1 `" +
                             std::string(rkt::stage1::defaultFlavor()) + "`",
                         uuid.error().message);
    CPPUNIT_ASSERT_EQUAL(1, podCount());
  }

 private:
  // Pods in any phase directory.
  int podCount() const {
    int count = 0;
    for (Phase phase : rkt::pod::allPhases()) {
      DIR* dir = ::opendir(scratch_->podDirs().dir(phase).c_str());
      if (dir == nullptr)
        continue;
      while (const dirent* e = ::readdir(dir)) {
        if (e->d_name[0] != '.')
          ++count;
      }
      ::closedir(dir);
    }
    return count;
  }

  std::unique_ptr<Scratch> scratch_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(EnginePrepareTest);
