// The argument vectors of the stage1 entrypoints per interface version (rkt-notes §3.2, §3.3)
// and the annotations they come from.
#include <cppunit/extensions/HelperMacros.h>

#include "entrypoint_args.hpp"
#include "rkt/sdk/error.hpp"
#include "stage1_image.hpp"

using namespace rkt::aci;
using rkt::protocol::stage1::RunRequest;
using Argv = std::vector<std::string>;

namespace {

RunRequest fullRequest() {
  RunRequest r;
  r.podDir = "/pod";
  r.uuid = "u-1";
  r.lockFd = 3;
  r.debug = true;
  r.net = {"default"};
  r.interactive = true;
  r.hostname = "h";
  r.dnsConfMode = {"stage0", "host"};
  r.localConfig = "/etc/rkt";
  r.insecure = {true, true, true};
  r.ipc = "private";
  return r;
}

std::string manifest(const std::string& annotations) {
  return R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/s1",)"
         R"("labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],)"
         R"("annotations":[)" +
         annotations + "]}";
}

}  // namespace

class AciEntrypointArgsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AciEntrypointArgsTest);
  CPPUNIT_TEST(runPerVersion);
  CPPUNIT_TEST(runDefaultsLeaveOptionsOut);
  CPPUNIT_TEST(otherEntrypoints);
  CPPUNIT_TEST(annotations);
  CPPUNIT_TEST_SUITE_END();

 public:
  void runPerVersion() {
    const RunRequest r = fullRequest();
    Invocation v1 = runInvocation(r, "/s1/init", 1);
    CPPUNIT_ASSERT(v1.argv == Argv({"/s1/init", "--debug", "--net=default", "--interactive",
                                    "--local-config=/etc/rkt", "u-1"}));
    CPPUNIT_ASSERT_EQUAL(size_t(3), v1.warnings.size());
    CPPUNIT_ASSERT_EQUAL(std::string("warning: --hostname option is not supported by stage1"),
                         v1.warnings[0]);
    CPPUNIT_ASSERT(runInvocation(r, "/s1/init", 2).argv ==
                   Argv({"/s1/init", "--debug", "--net=default", "--interactive",
                         "--local-config=/etc/rkt", "--hostname=h", "u-1"}));
    CPPUNIT_ASSERT(
        runInvocation(r, "/s1/init", 3).argv ==
        Argv({"/s1/init", "--debug", "--net=default", "--interactive", "--local-config=/etc/rkt",
              "--hostname=h", "--disable-capabilities-restriction", "--disable-paths",
              "--disable-seccomp", "u-1"}));
    const Argv v4 = {"/s1/init",
                     "--debug",
                     "--net=default",
                     "--interactive",
                     "--local-config=/etc/rkt",
                     "--hostname=h",
                     "--dns-conf-mode=resolv=stage0,hosts=host",
                     "--disable-capabilities-restriction",
                     "--disable-paths",
                     "--disable-seccomp",
                     "u-1"};
    CPPUNIT_ASSERT(runInvocation(r, "/s1/init", 4).argv == v4);
    CPPUNIT_ASSERT(runInvocation(r, "/s1/init", 5).argv == v4);
    Invocation v6 = runInvocation(r, "/s1/init", 6);
    CPPUNIT_ASSERT_EQUAL(std::string("--ipc=private"), v6.argv[v6.argv.size() - 2]);
    CPPUNIT_ASSERT(v6.warnings.empty());
  }

  void runDefaultsLeaveOptionsOut() {
    RunRequest r;
    r.podDir = "/pod";
    r.uuid = "u-2";
    r.hostname = "rkt-u-2";  // the core's default: rkt sends no --hostname
    r.net = {""};
    Invocation inv = runInvocation(r, "/s1/init", 6);
    CPPUNIT_ASSERT(inv.argv == Argv({"/s1/init", "--net=default", "u-2"}));
    CPPUNIT_ASSERT(inv.warnings.empty());
    r.net = {"ptp0:IP=10.1.1.1", "host"};
    CPPUNIT_ASSERT_EQUAL(std::string("--net=ptp0:IP=10.1.1.1,host"),
                         runInvocation(r, "/s1/init", 1).argv[1]);
  }

  void otherEntrypoints() {
    rkt::protocol::stage1::EnterRequest e;
    e.pid = 42;
    e.app = "web";
    e.command = {"/bin/sh", "-c", "true"};
    CPPUNIT_ASSERT(enterInvocation(e, "/s1/enter").argv ==
                   Argv({"/s1/enter", "--pid=42", "--appname=web", "--", "/bin/sh", "-c", "true"}));
    rkt::protocol::stage1::GcRequest g;
    g.uuid = "u";
    g.debug = true;
    g.localConfig = "/etc/rkt";
    CPPUNIT_ASSERT(gcInvocation(g, "/s1/gc", 4).argv == Argv({"/s1/gc", "--debug", "u"}));
    CPPUNIT_ASSERT(gcInvocation(g, "/s1/gc", 5).argv ==
                   Argv({"/s1/gc", "--debug", "--local-config", "/etc/rkt", "u"}));
    rkt::protocol::stage1::StopRequest s;
    s.uuid = "u";
    CPPUNIT_ASSERT(stopInvocation(s, "/s1/stop").argv == Argv({"/s1/stop", "u"}));
    s.force = true;
    CPPUNIT_ASSERT(stopInvocation(s, "/s1/stop").argv == Argv({"/s1/stop", "--force", "u"}));
  }

  void annotations() {
    Stage1Image none = Stage1Image::fromManifest(manifest(""));
    CPPUNIT_ASSERT_EQUAL(1, none.interfaceVersion());
    try {
      none.requireEntrypoint(kRun);
      CPPUNIT_FAIL("no run entrypoint");
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(std::string("entrypoint \"coreos.com/rkt/stage1/run\" not found"),
                           std::string(e.what()));
    }
    Stage1Image full = Stage1Image::fromManifest(
        manifest(R"({"name":"coreos.com/rkt/stage1/run","value":"/init"},)"
                 R"({"name":"coreos.com/rkt/stage1/app/rm","value":"/app_rm"},)"
                 R"({"name":"coreos.com/rkt/stage1/app/start","value":"/app_start"},)"
                 R"({"name":"coreos.com/rkt/stage1/app/stop","value":"/app_stop"},)"
                 R"({"name":"coreos.com/rkt/stage1/interface-version","value":"5"})"));
    CPPUNIT_ASSERT_EQUAL(std::string("/init"), full.requireEntrypoint(kRun));
    CPPUNIT_ASSERT_EQUAL(5, full.interfaceVersion());
    CPPUNIT_ASSERT(full.isMutable());
    CPPUNIT_ASSERT(!none.isMutable());
    CPPUNIT_ASSERT_THROW(Stage1Image::fromManifest(manifest(
                             R"({"name":"coreos.com/rkt/stage1/interface-version","value":"x"})")),
                         rkt::sdk::Error);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AciEntrypointArgsTest);
