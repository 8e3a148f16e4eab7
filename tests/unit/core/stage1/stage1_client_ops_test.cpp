// The stage1 client's ops on a fake flavor in the test process: the request each op sends, what
// the caller gets back, and how the flavor's failures and missing ops reach the caller, named.
#include <cppunit/extensions/HelperMacros.h>

#include <cerrno>
#include <string>

#include "core/plugin/in_process_plugin.hpp"
#include "rkt/core/stage1/stage1_client.hpp"
#include "rkt/sdk/stage1.hpp"

using plugintest::failure;
using plugintest::reply;
using rkt::stage1::Stage1Client;
namespace proto = rkt::protocol::stage1;

namespace {

/// A flavor with every op; run and enter answer their exit status as the scripted text.
class FakeFlavor : public rkt::sdk::Stage1 {
 public:
  plugintest::Script script;

  int run(const std::string& r) override { return std::stoi(script.call("run", r)); }
  std::string describe() override { return script.call("describe", ""); }
  int enter(const std::string& r) override { return std::stoi(script.call("enter", r)); }
  void stop(const std::string& r) override { script.call("stop", r); }
  void gc(const std::string& r) override { script.call("gc", r); }
};

/// A flavor with `run` only: the other members of its ops table are NULL.
class RunOnlyFlavor : public rkt::sdk::Stage1 {
 public:
  plugintest::Script script;

  int run(const std::string& r) override { return std::stoi(script.call("run", r)); }
};

template <class Flavor>
Stage1Client clientOf(Flavor& flavor) {
  return Stage1Client("fake", plugintest::inProcessInstance(flavor, "fake"));
}

}  // namespace

class Stage1ClientOpsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(Stage1ClientOpsTest);
  CPPUNIT_TEST(runSendsTheRequestAndReturnsTheExitStatus);
  CPPUNIT_TEST(enterReturnsTheCommandStatus);
  CPPUNIT_TEST(stopAndGcSendTheirRequests);
  CPPUNIT_TEST(flavorFailuresReachTheCaller);
  CPPUNIT_TEST(failureWithoutMessageNamesOpAndFlavor);
  CPPUNIT_TEST(unsupportedAnswerIsNamed);
  CPPUNIT_TEST(describe);
  CPPUNIT_TEST(unsupportedDescribeAndGcAreAnswers);
  CPPUNIT_TEST(flavorWithoutOptionalOps);
  CPPUNIT_TEST_SUITE_END();

 public:
  void runSendsTheRequestAndReturnsTheExitStatus() {
    FakeFlavor flavor;
    flavor.script.on("run", reply("3"));
    Stage1Client client = clientOf(flavor);
    CPPUNIT_ASSERT_EQUAL(std::string("fake"), client.flavor());
    rkt::stage1::RunRequest request;
    request.podDir = "/var/lib/rkt/pods/run/u1";
    request.uuid = "u1";
    request.lockFd = 7;
    request.net = {"host"};
    request.hostname = "web";
    rkt::Result<int> status = client.run(request);
    CPPUNIT_ASSERT_MESSAGE(status ? "" : status.error().message, status.ok());
    CPPUNIT_ASSERT_EQUAL(3, *status);
    auto got = rkt::protocol::decode<proto::RunRequest>(flavor.script.requests("run").at(0));
    CPPUNIT_ASSERT_EQUAL(request.podDir, got.podDir);
    CPPUNIT_ASSERT_EQUAL(request.uuid, got.uuid);
    CPPUNIT_ASSERT_EQUAL(7, got.lockFd);
    CPPUNIT_ASSERT_EQUAL(std::string("web"), got.hostname);
    CPPUNIT_ASSERT_EQUAL(std::size_t{1}, got.net.size());
  }

  void enterReturnsTheCommandStatus() {
    FakeFlavor flavor;
    flavor.script.on("enter", reply("42"));
    Stage1Client client = clientOf(flavor);
    rkt::Result<int> status =
        client.enter({"/p", "u1", 99, "app", {"/bin/sh", "-c", "exit 42"}, true});
    CPPUNIT_ASSERT(status.ok());
    CPPUNIT_ASSERT_EQUAL(42, *status);
    auto got = rkt::protocol::decode<proto::EnterRequest>(flavor.script.requests("enter").at(0));
    CPPUNIT_ASSERT_EQUAL(99, got.pid);
    CPPUNIT_ASSERT_EQUAL(std::string("app"), got.app);
    CPPUNIT_ASSERT_EQUAL(std::string("exit 42"), got.command.at(2));
    CPPUNIT_ASSERT(got.interactive);
  }

  void stopAndGcSendTheirRequests() {
    FakeFlavor flavor;
    flavor.script.on("stop", reply(""));
    flavor.script.on("gc", reply(""));
    Stage1Client client = clientOf(flavor);
    CPPUNIT_ASSERT(client.stop({"/p", "u1", true}).ok());
    CPPUNIT_ASSERT(client.gc({"/p", "u1", true, "/etc/rkt"}).ok());
    auto stop = rkt::protocol::decode<proto::StopRequest>(flavor.script.requests("stop").at(0));
    CPPUNIT_ASSERT_EQUAL(std::string("u1"), stop.uuid);
    CPPUNIT_ASSERT(stop.force);
    auto gc = rkt::protocol::decode<proto::GcRequest>(flavor.script.requests("gc").at(0));
    CPPUNIT_ASSERT_EQUAL(std::string("/etc/rkt"), gc.localConfig);
    CPPUNIT_ASSERT(gc.debug);
    CPPUNIT_ASSERT((std::vector<std::string>{"stop", "gc"}) == flavor.script.ops());
  }

  void flavorFailuresReachTheCaller() {
    FakeFlavor flavor;
    flavor.script.on("stop", failure(RKT_E_BUSY, "pod \"u1\" is being stopped already", EBUSY));
    flavor.script.on("run", failure(RKT_E_IO, "cannot chroot to \"/p/stage1/rootfs\"", ENOENT));
    Stage1Client client = clientOf(flavor);
    rkt::Status stopped = client.stop({"/p", "u1", false});
    CPPUNIT_ASSERT(!stopped.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("pod \"u1\" is being stopped already"),
                         stopped.error().message);
    CPPUNIT_ASSERT_EQUAL(EBUSY, stopped.error().sysErrno);
    rkt::stage1::RunRequest request;
    request.podDir = "/p";
    request.uuid = "u1";
    rkt::Result<int> ran = client.run(request);
    CPPUNIT_ASSERT(!ran.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("cannot chroot to \"/p/stage1/rootfs\""), ran.error().message);
    CPPUNIT_ASSERT_EQUAL(ENOENT, ran.error().sysErrno);
  }

  void failureWithoutMessageNamesOpAndFlavor() {
    FakeFlavor flavor;
    flavor.script.on("gc", failure(RKT_E_INTERNAL, ""));
    Stage1Client client = clientOf(flavor);
    rkt::Status collected = client.gc({"/p", "u1", false, ""});
    CPPUNIT_ASSERT(!collected.ok());
    CPPUNIT_ASSERT_MESSAGE(
        collected.error().message,
        collected.error().message.rfind("`gc` of stage1 `fake` failed: ", 0) == 0);
  }

  // A flavor may have the op in its table and still answer that it does not support it.
  void unsupportedAnswerIsNamed() {
    FakeFlavor flavor;
    flavor.script.on("stop", failure(RKT_E_UNSUPPORTED, "stage1 flavor does not support `stop`"));
    Stage1Client client = clientOf(flavor);
    rkt::Status stopped = client.stop({"/p", "u1", false});
    CPPUNIT_ASSERT(!stopped.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("`stop` is not supported by this stage1 (stage1 `fake`)"),
                         stopped.error().message);
    CPPUNIT_ASSERT_EQUAL(ENOTSUP, stopped.error().sysErrno);
  }

  void describe() {
    FakeFlavor flavor;
    flavor.script.on("describe", reply(R"({"max_apps":1,"isolation":"chroot","networking":false,)"
                                       R"("mutable":false,"exit_status_preserved":true})"));
    Stage1Client client = clientOf(flavor);
    auto caps = client.describe();
    CPPUNIT_ASSERT_MESSAGE(caps ? "" : caps.error().message, caps.ok());
    CPPUNIT_ASSERT_EQUAL(1, caps->maxApps);
    CPPUNIT_ASSERT_EQUAL(std::string("chroot"), caps->isolation);
    CPPUNIT_ASSERT(caps->exitStatusPreserved);
    flavor.script.on("describe", reply(R"({"max_apps":"one"})"));
    caps = client.describe();
    CPPUNIT_ASSERT(!caps.ok());
    CPPUNIT_ASSERT_MESSAGE(
        caps.error().message,
        caps.error().message.rfind("stage1 `fake`: invalid describe result", 0) == 0);
  }

  // `describe` and `gc` answering RKT_E_UNSUPPORTED mean what a NULL op means: no limits,
  // nothing to release (rkt run and rkt gc go on), not a failure.
  void unsupportedDescribeAndGcAreAnswers() {
    FakeFlavor flavor;
    flavor.script.on("describe", failure(RKT_E_UNSUPPORTED, "no describe"));
    flavor.script.on("gc", failure(RKT_E_UNSUPPORTED, "no gc"));
    Stage1Client client = clientOf(flavor);
    auto caps = client.describe();
    CPPUNIT_ASSERT_MESSAGE(caps ? "" : caps.error().message, caps.ok());
    CPPUNIT_ASSERT_EQUAL(0, caps->maxApps);
    rkt::Status collected = client.gc({"/p", "u1", false, ""});
    CPPUNIT_ASSERT_MESSAGE(collected ? "" : collected.error().message, collected.ok());
    CPPUNIT_ASSERT((std::vector<std::string>{"describe", "gc"}) == flavor.script.ops());
  }

  void flavorWithoutOptionalOps() {
    RunOnlyFlavor flavor;
    Stage1Client client = clientOf(flavor);
    CPPUNIT_ASSERT(client.has("run"));
    for (const char* op : {"describe", "enter", "stop", "gc"}) {
      CPPUNIT_ASSERT_MESSAGE(op, !client.has(op));
    }
    // No describe: the defaults (no limit on apps), without a call.
    auto caps = client.describe();
    CPPUNIT_ASSERT(caps.ok());
    CPPUNIT_ASSERT_EQUAL(0, caps->maxApps);
    rkt::Result<int> entered = client.enter({"/p", "u1", 1, "", {"/bin/true"}, false});
    CPPUNIT_ASSERT(!entered.ok());
    CPPUNIT_ASSERT_EQUAL(std::string("`enter` is not supported by this stage1 (stage1 `fake`)"),
                         entered.error().message);
    CPPUNIT_ASSERT_EQUAL(ENOTSUP, entered.error().sysErrno);
    CPPUNIT_ASSERT(flavor.script.ops().empty());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Stage1ClientOpsTest);
