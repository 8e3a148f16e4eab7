// Engine::run and Engine::runPrepared (`rkt run`, `rkt run-prepared`): the pod reaches the stage1
// in run/, locked, with the request rkt sends; a prepared pod runs once, from its recorded tree
// when `image gc` took the image. Running changes the process (mount namespace, process group,
// working directory), so each run happens in a forked child that reports through its exit
// status and the request file the fake stage1 writes.
#include <cppunit/extensions/HelperMacros.h>

#include "core/engine/engine_test_support.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/stage0/pod_setup.hpp"

using enginetest::Scratch;
using rkt::Engine;
using rkt::pod::Phase;
using rkt::pod::State;
namespace protocol = rkt::protocol;
namespace stage1 = rkt::stage1;

class EngineRunTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(EngineRunTest);
  CPPUNIT_TEST(runHandsThePodToTheStage1);
  CPPUNIT_TEST(preparedPodRunsOnce);
  CPPUNIT_TEST(interactiveNeedsOneApp);
  CPPUNIT_TEST(preparedPodRunsFromItsRecordedTree);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    scratch_ = std::make_unique<Scratch>();
    scratch_->stage1->runRequestFile = scratch_->path() + "/run-request.json";
  }
  void tearDown() override { scratch_.reset(); }

  void runHandsThePodToTheStage1() {
    if (!enginetest::needsRoot("EngineRunTest::runHandsThePodToTheStage1"))
      return;
    std::string key;
    {
      Engine engine = scratch_->open();
      key = enginetest::importImage(engine, "runner");
    }
    rkt::PrepareOptions prepare = enginetest::oneApp(key);
    prepare.uuidFileSave = scratch_->path() + "/uuid";
    rkt::RunOptions run;
    run.dns.resolvMode = "stage0";
    run.dns.nameservers = {"192.0.2.53"};
    scratch_->stage1->runStatus = 7;
    const int status = inChild([&](Engine& engine) { return engine.run(prepare, run); });
    CPPUNIT_ASSERT_EQUAL(7, status);

    const std::string uuid = enginetest::readFile(prepare.uuidFileSave);
    const stage1::RunRequest request = lastRunRequest();
    const std::string podDir = scratch_->dataDir() + "/pods/run/" + uuid;
    CPPUNIT_ASSERT_EQUAL(uuid, request.uuid);
    CPPUNIT_ASSERT_EQUAL(podDir, request.podDir);
    CPPUNIT_ASSERT_EQUAL("rkt-" + uuid, request.hostname);
    CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{"default"}, request.net);
    CPPUNIT_ASSERT_EQUAL(std::string("stage0"), request.dnsConfMode.resolv);
    CPPUNIT_ASSERT_EQUAL(scratch_->localConfigDir(), request.localConfig);
    CPPUNIT_ASSERT_EQUAL(std::string("auto"), request.ipc);
    CPPUNIT_ASSERT(request.lockFd >= 0);
    // stage0 wrote the DNS files it was asked for; the stage1 held the pod until it returned.
    const std::string resolv = enginetest::readFile(podDir + "/" + rkt::pod::layout::kStage1Rootfs +
                                                    "/" + rkt::pod::layout::kStage0ResolvConf);
    CPPUNIT_ASSERT(resolv.find("nameserver 192.0.2.53") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(State::Exited, stateOf(uuid));
  }

  void preparedPodRunsOnce() {
    if (!enginetest::needsRoot("EngineRunTest::preparedPodRunsOnce"))
      return;
    const rkt::pod::Uuid uuid = prepared({"once"});
    scratch_->stage1->runStatus = 5;
    rkt::RunOptions run;
    run.hostname = "pod.example";
    CPPUNIT_ASSERT_EQUAL(5, inChild([&](Engine& e) { return e.runPrepared(uuid.str(), run); }));
    const stage1::RunRequest request = lastRunRequest();
    CPPUNIT_ASSERT_EQUAL(uuid.str(), request.uuid);
    CPPUNIT_ASSERT_EQUAL(std::string("pod.example"), request.hostname);
    CPPUNIT_ASSERT_EQUAL(State::Exited, stateOf(uuid.str()));

    Engine engine = scratch_->open();
    rkt::Result<int> again = engine.runPrepared(uuid.str(), run);
    CPPUNIT_ASSERT(!again.ok());
    CPPUNIT_ASSERT_EQUAL("pod \"" + uuid.str() + "\" is not prepared", again.error().message);
  }

  void interactiveNeedsOneApp() {
    const rkt::pod::Uuid uuid = prepared({"first", "second"});
    Engine engine = scratch_->open();
    rkt::RunOptions run;
    run.interactive = true;
    rkt::Result<int> status = engine.runPrepared(uuid.str(), run);
    CPPUNIT_ASSERT(!status.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("interactive option only supports pods with one app"),
                         status.error().message);
    CPPUNIT_ASSERT_EQUAL(State::Prepared, stateOf(uuid.str()));
  }

  void preparedPodRunsFromItsRecordedTree() {
    if (!enginetest::needsRoot("EngineRunTest::preparedPodRunsFromItsRecordedTree"))
      return;
    if (const std::string why = rkt::stage0::overlayUnusableReason(scratch_->dataDir());
        !why.empty()) {
      std::fprintf(stderr, "\nSKIPPED EngineRunTest::preparedPodRunsFromItsRecordedTree: %s\n",
                   why.c_str());
      return;
    }
    const rkt::pod::Uuid kept = prepared({"recorded"});
    const rkt::pod::Uuid lost = prepared({"recorded"});
    Engine engine = scratch_->open();
    CPPUNIT_ASSERT(engine.openStore().ok());
    namespace layout = rkt::pod::layout;
    const std::string info = podDir(Phase::Prepared, kept) + "/";
    const std::string key = enginetest::readFile(info + layout::appImageId("recorded"));
    const std::string treeId = enginetest::readFile(info + layout::appTreeStoreId("recorded"));
    // What `image gc` does to an image no running pod uses: the image goes, the tree stays.
    CPPUNIT_ASSERT(engine.store().remove(key).ok());
    CPPUNIT_ASSERT_EQUAL(0, inChild([&](Engine& e) { return e.runPrepared(kept.str(), {}); }));
    CPPUNIT_ASSERT_EQUAL(kept.str(), lastRunRequest().uuid);

    // Without the tree there is nothing to run from.
    CPPUNIT_ASSERT(engine.store().removeTree(treeId).ok());
    rkt::Result<int> status = engine.runPrepared(lost.str(), {});
    CPPUNIT_ASSERT(!status.ok());
    CPPUNIT_ASSERT_MESSAGE(status.error().message,
                           status.error().message.find("error rendering tree image: ") == 0);
  }

 private:
  // Runs `fn` on a new engine in a forked child; returns the pod's exit status, or 100 and
  // more when the engine failed (its message is printed).
  int inChild(const std::function<rkt::Result<int>(Engine&)>& fn) {
    pid_t pid = podtest::forkChild([&]() {
      Engine engine = scratch_->open();
      rkt::Result<int> status = fn(engine);
      if (!status) {
        std::fprintf(stderr, "engine failed: %s\n", status.error().message.c_str());
        return 100;
      }
      return *status;
    });
    return podtest::waitChild(pid);
  }

  // A pod prepared from one image per name (imported first).
  rkt::pod::Uuid prepared(const std::vector<std::string>& names) {
    Engine engine = scratch_->open();
    rkt::PrepareOptions options;
    for (const std::string& name : names)
      options.apps.create(enginetest::importImage(engine, name));
    rkt::Result<rkt::pod::Uuid> uuid = engine.prepare(options);
    CPPUNIT_ASSERT_MESSAGE(uuid ? "" : uuid.error().message, uuid.ok());
    return *uuid;
  }

  stage1::RunRequest lastRunRequest() const {
    return protocol::decode<stage1::RunRequest>(
        enginetest::readFile(scratch_->stage1->runRequestFile));
  }

  std::string podDir(Phase phase, const rkt::pod::Uuid& uuid) const {
    return scratch_->podDirs().podPath(phase, uuid);
  }

  State stateOf(const std::string& uuid) const {
    rkt::Result<rkt::pod::Uuid> parsed = rkt::pod::Uuid::parse(uuid);
    CPPUNIT_ASSERT(parsed.ok());
    return podtest::stateOf(scratch_->podDirs(), *parsed);
  }

  std::unique_ptr<Scratch> scratch_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(EngineRunTest);
