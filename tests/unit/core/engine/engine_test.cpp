// The engine's context (configuration, data directory, store, log) and the stage1 ops on
// existing pods (enter, stop, the stage1's gc before a pod is removed).
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include "core/engine/engine_test_support.hpp"
#include "rkt/core/pod/gc.hpp"
#include "rkt/core/stage1/selection.hpp"

using enginetest::Scratch;
using rkt::Engine;
using rkt::LogKind;
using rkt::pod::Pod;
namespace protocol = rkt::protocol;
namespace stage1 = rkt::stage1;

class EngineTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EngineTest);
  CPPUNIT_TEST(dataDirFromFlagOrConfiguration);
  CPPUNIT_TEST(configurationProblemIsNamed);
  CPPUNIT_TEST(storeProblemIsNamed);
  CPPUNIT_TEST(debugLinesOnlyWithDebug);
  CPPUNIT_TEST(stopSendsThePodsRequest);
  CPPUNIT_TEST(enterFlushesThenSendsTheRequest);
  CPPUNIT_TEST(releaseStage1OnlyForPodsThatRan);
  CPPUNIT_TEST(releaseStage1ProblemsDoNotStopRemoval);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override { scratch_ = std::make_unique<Scratch>(); }
  void tearDown() override { scratch_.reset(); }

  void dataDirFromFlagOrConfiguration() {
    Engine flag = scratch_->open();
    CPPUNIT_ASSERT_EQUAL(scratch_->dataDir(), flag.dataDir());
    CPPUNIT_ASSERT_EQUAL(scratch_->dataDir(), flag.podDirs().dataDir());

    // Without --dir: the paths.d `data` directory.
    const std::string configured = scratch_->path() + "/configured";
    podtest::makeDirs(scratch_->localConfigDir() + "/paths.d");
    podtest::writeFile(scratch_->localConfigDir() + "/paths.d/paths.json",
                       R"({"rktKind":"paths","rktVersion":"v1","data":")" + configured + R"("})");
    rkt::EngineOptions options = scratch_->options();
    options.dataDir.reset();
    Engine fromConfig = scratch_->open(std::move(options));
    CPPUNIT_ASSERT_EQUAL(configured, fromConfig.dataDir());
  }

  void configurationProblemIsNamed() {
    podtest::makeDirs(scratch_->localConfigDir() + "/paths.d");
    podtest::writeFile(scratch_->localConfigDir() + "/paths.d/bad.json", "{not json");
    rkt::Result<Engine> engine = Engine::open(scratch_->options());
    CPPUNIT_ASSERT(!engine.ok());
    CPPUNIT_ASSERT_MESSAGE(engine.error().message,
                           engine.error().message.find("cannot get configuration: ") == 0);
  }

  void storeProblemIsNamed() {
    const std::string notADir = scratch_->path() + "/file";
    podtest::writeFile(notADir, "");
    rkt::EngineOptions options = scratch_->options();
    options.dataDir = notADir;
    Engine engine = scratch_->open(std::move(options));
    rkt::Status opened = engine.openStore();
    CPPUNIT_ASSERT(!opened.ok());
    CPPUNIT_ASSERT_MESSAGE(opened.error().message,
                           opened.error().message.find("cannot open store: ") == 0);
  }

  void debugLinesOnlyWithDebug() {
    Engine quiet = scratch_->open();
    CPPUNIT_ASSERT(quiet.openStore().ok());
    CPPUNIT_ASSERT(scratch_->lines(LogKind::kDebug).empty());

    rkt::EngineOptions options = scratch_->options();
    options.debug = true;
    Engine debug = scratch_->open(std::move(options));
    CPPUNIT_ASSERT(debug.openStore().ok());
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"data directory: " + scratch_->dataDir()},
                         scratch_->lines(LogKind::kDebug));
  }

  void stopSendsThePodsRequest() {
    Engine engine = scratch_->open();
    rkt::Result<Pod> pod = runningPod("nspawn");
    CPPUNIT_ASSERT(engine.stop(*pod, true).ok());
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"nspawn"}, scratch_->stage1->opened);
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"stop"}, scratch_->stage1->calls);
    auto request = protocol::decode<stage1::StopRequest>(scratch_->stage1->lastRequest);
    CPPUNIT_ASSERT_EQUAL(pod->path(), request.podDir);
    CPPUNIT_ASSERT_EQUAL(pod->uuid().str(), request.uuid);
    CPPUNIT_ASSERT(request.force);
  }

  void enterFlushesThenSendsTheRequest() {
    Engine engine = scratch_->open();
    rkt::Result<Pod> pod = runningPod("fly");
    scratch_->stage1->enterStatus = 9;
    rkt::Result<int> status = engine.enter(*pod, rkt::EnterOptions{42, "web", {"/bin/sh"}, true});
    CPPUNIT_ASSERT(status.ok());
    CPPUNIT_ASSERT_EQUAL(9, *status);
    CPPUNIT_ASSERT_EQUAL(1, scratch_->flushes);
    auto request = protocol::decode<stage1::EnterRequest>(scratch_->stage1->lastRequest);
    CPPUNIT_ASSERT_EQUAL(pod->path(), request.podDir);
    CPPUNIT_ASSERT_EQUAL(42, request.pid);
    CPPUNIT_ASSERT_EQUAL(std::string("web"), request.app);
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"/bin/sh"}, request.command);
    CPPUNIT_ASSERT(request.interactive);
  }

  void releaseStage1OnlyForPodsThatRan() {
    Engine engine = scratch_->open();
    rkt::pod::PodDirs dirs = scratch_->podDirs();
    // A prepared pod that is discarded never ran: its stage1 set nothing up.
    rkt::Result<Pod> neverRan = Pod::open(dirs, podtest::makePreparedPod(dirs));
    CPPUNIT_ASSERT(neverRan->toGarbage().ok());
    engine.releaseStage1(*neverRan);
    CPPUNIT_ASSERT(scratch_->stage1->calls.empty());

    rkt::Result<Pod> ran = exitedGarbagePod();
    CPPUNIT_ASSERT(engine.removePod(*ran).ok());
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"gc"}, scratch_->stage1->calls);
    auto request = protocol::decode<stage1::GcRequest>(scratch_->stage1->lastRequest);
    CPPUNIT_ASSERT_EQUAL(scratch_->localConfigDir(), request.localConfig);
    CPPUNIT_ASSERT(!request.debug);
    CPPUNIT_ASSERT_EQUAL(rkt::pod::State::Gone, ran->state());
  }

  void releaseStage1ProblemsDoNotStopRemoval() {
    rkt::EngineOptions options = scratch_->options();
    options.debug = true;
    Engine engine = scratch_->open(std::move(options));

    scratch_->stage1->hasGc = false;
    // The pod has no `flavor` file: the build's default flavor.
    const std::string flavor(rkt::stage1::defaultFlavor());
    rkt::Result<Pod> withoutGc = exitedGarbagePod();
    CPPUNIT_ASSERT(engine.removePod(*withoutGc).ok());
    CPPUNIT_ASSERT_EQUAL((std::vector<std::string>{
                             "pod " + withoutGc->uuid().str() + " uses stage1 `" + flavor + "`",
                             "stage1 `" + flavor + "` has no gc op: nothing to release"}),
                         scratch_->lines(LogKind::kDebug));

    scratch_->stage1->missingFlavor = "gone";
    rkt::Result<Pod> missing = exitedGarbagePod("gone");
    CPPUNIT_ASSERT(engine.removePod(*missing).ok());
    CPPUNIT_ASSERT_EQUAL(
        std::vector<std::string>{"skipping stage1 GC: cannot load stage1 `gone`: not installed"},
        scratch_->lines(LogKind::kNotice));
    CPPUNIT_ASSERT_EQUAL(rkt::pod::State::Gone, missing->state());
  }

 private:
  // A pod in run/ (no process holds it: it reads as exited) whose stage1 is `flavor`.
  rkt::Result<Pod> runningPod(const std::string& flavor) {
    rkt::pod::PodDirs dirs = scratch_->podDirs();
    rkt::Result<Pod> pod = Pod::open(dirs, podtest::makeExitedPod(dirs));
    CPPUNIT_ASSERT_EQUAL(0, ::symlink(flavor.c_str(), (pod->path() + "/flavor").c_str()));
    return pod;
  }

  // A pod that ran and was marked for removal, locked as `rkt rm` holds it.
  rkt::Result<Pod> exitedGarbagePod(const std::string& flavor = "") {
    rkt::pod::PodDirs dirs = scratch_->podDirs();
    rkt::Result<Pod> pod = Pod::open(dirs, podtest::makeExitedPod(dirs));
    if (!flavor.empty())
      CPPUNIT_ASSERT_EQUAL(0, ::symlink(flavor.c_str(), (pod->path() + "/flavor").c_str()));
    CPPUNIT_ASSERT(pod->toExitedGarbage().ok());
    CPPUNIT_ASSERT(pod->lockExclusive().ok());
    return pod;
  }

  std::unique_ptr<Scratch> scratch_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(EngineTest);
