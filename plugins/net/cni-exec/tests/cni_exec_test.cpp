// cni-exec through the core's CniRunner (the choice of the plugin for a type included) with CNI
// plugin scripts: the exec protocol (environment, stdin with prevResult in the conf's version),
// result conversion from every layout, error objects passed on, a plugin that does not answer
// killed at the network's `rkt.timeout`, a missing binary, and `"rkt.external": true`.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/support/posix/remove_tree.hpp"

namespace pc = rkt::protocol::cni;

class CniExecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CniExecTest);
  CPPUNIT_TEST(runsTheBinaryWithTheCniEnvironment);
  CPPUNIT_TEST(convertsLegacyResults);
  CPPUNIT_TEST(injectsPrevResultInTheConfVersion);
  CPPUNIT_TEST(passesTheErrorObjectOn);
  CPPUNIT_TEST(reportsAPluginWithoutErrorObject);
  CPPUNIT_TEST(killsAPluginAtItsTimeout);
  CPPUNIT_TEST(namesTheSearchPathOfAMissingType);
  CPPUNIT_TEST(forcedExternalRunsTheBinaryForAnInProcessType);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    char tmpl[] = "/tmp/rkt-cni-exec-test.XXXXXX";
    CPPUNIT_ASSERT(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    ::mkdir((dir_ + "/bin").c_str(), 0755);
    options_.checkOwnership = false;
    registry_ = std::make_unique<rkt::plugin::PluginRegistry>(
        std::vector<std::string>{RKT_PLUGIN_BUILD_DIR}, options_);
    runner_ = std::make_unique<rkt::net::CniRunner>(
        *registry_, dir_ + "/state", std::vector<std::string>{dir_ + "/none", dir_ + "/bin"});
  }
  void tearDown() override { (void)rkt::posix::removeTree(dir_); }

  // A CNI plugin script `bin/<name>`: logs its environment and stdin to log.<command>, then
  // runs `body`.
  void plugin(const std::string& name, const std::string& body) const {
    const std::string path = dir_ + "/bin/" + name;
    std::ofstream f(path);
    f << "#!/bin/sh\n"
      << "{ echo \"$CNI_COMMAND|$CNI_CONTAINERID|$CNI_NETNS|$CNI_IFNAME|$CNI_ARGS|$CNI_PATH\"; "
      << "cat; } >" << dir_ << "/log.$CNI_COMMAND\n"
      << body << "\n";
    f.close();
    ::chmod(path.c_str(), 0755);
  }
  std::string log(const std::string& command) const {
    std::ifstream f(dir_ + "/log." + command);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  static pc::Request request(const std::string& conf, const std::string& version = "1.0.0") {
    pc::Request r;
    r.cniVersion = version;
    r.name = "ext";
    r.containerId = "c1";
    r.ifName = "eth0";
    r.args = "IP=10.1.2.3";
    r.config.text = conf;
    return r;
  }

  void runsTheBinaryWithTheCniEnvironment() {
    plugin("tiny", R"(echo '{"cniVersion":"1.0.0","ips":[{"address":"10.9.0.2/24"}],"dns":{}}')");
    const std::string conf = R"({"cniVersion":"1.0.0","name":"ext","type":"tiny","k":[1, 2]})";
    const auto out = runner_->run(RKT_KIND_NET, RKT_CNI_ADD, request(conf), -1);
    CPPUNIT_ASSERT_MESSAGE(out.message(), out.ok);
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"cniVersion":"1.0.0","ips":[{"address":"10.9.0.2/24"}],"dns":{}})"),
        out.result);
    // The conf (keys in their order, as the request carries it); CNI_PATH is the search path.
    CPPUNIT_ASSERT_EQUAL("ADD|c1||eth0|IP=10.1.2.3|" + dir_ + "/none:" + dir_ + "/bin\n" +
                             R"({"cniVersion":"1.0.0","name":"ext","type":"tiny","k":[1,2]})",
                         log("ADD"));
    struct stat st {};
    CPPUNIT_ASSERT_MESSAGE("cni-exec's state directory",
                           ::stat((dir_ + "/state/net-cni-exec").c_str(), &st) == 0);
  }

  void convertsLegacyResults() {
    plugin("old", R"(echo '{"cniVersion":"0.2.0","ip4":{"ip":"10.9.0.2/24","gateway":"10.9.0.1",)"
                  R"("routes":[{"dst":"0.0.0.0/0"}]},"dns":{"nameservers":["10.9.0.1"]}}')");
    const auto out =
        runner_->run(RKT_KIND_NET, RKT_CNI_ADD,
                     request(R"({"cniVersion":"0.2.0","name":"ext","type":"old"})", "0.2.0"), -1);
    CPPUNIT_ASSERT_MESSAGE(out.message(), out.ok);
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"cniVersion":"0.2.0","ips":[{"address":"10.9.0.2/24",)"
                                     R"("gateway":"10.9.0.1"}],"routes":[{"dst":"0.0.0.0/0"}],)"
                                     R"("dns":{"nameservers":["10.9.0.1"]}})"),
                         out.result);
  }

  void injectsPrevResultInTheConfVersion() {
    plugin("chk", "exit 0");
    auto r = request(R"({"cniVersion":"0.4.0","name":"ext","type":"chk"})", "0.4.0");
    r.prevResult.text =
        R"({"cniVersion":"0.4.0","ips":[{"interface":0,"address":"10.9.0.2/24"}],"dns":{}})";
    r.runtimeConfig.text = R"({"mac":"02:00:00:00:00:01"})";
    const auto out = runner_->run(RKT_KIND_NET, RKT_CNI_CHECK, r, -1);
    CPPUNIT_ASSERT_MESSAGE(out.message(), out.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("CHECK|c1||eth0|IP=10.1.2.3|" + dir_ + "/none:" + dir_ +
                                     "/bin\n"
                                     R"({"cniVersion":"0.4.0","name":"ext","type":"chk",)"
                                     R"("prevResult":{"cniVersion":"0.4.0","ips":[{"version":"4",)"
                                     R"("interface":0,"address":"10.9.0.2/24"}],"dns":{}},)"
                                     R"("runtimeConfig":{"mac":"02:00:00:00:00:01"}})"),
                         log("CHECK"));
  }

  void passesTheErrorObjectOn() {
    plugin("bad", R"(echo '{"code":7,"msg":"invalid config","details":"no bridge"}'; exit 1)");
    const auto out =
        runner_->run(RKT_KIND_NET, RKT_CNI_ADD,
                     request(R"({"cniVersion":"1.0.0","name":"ext","type":"bad"})"), -1);
    CPPUNIT_ASSERT(!out.ok);
    CPPUNIT_ASSERT_EQUAL(7, out.error.code);
    CPPUNIT_ASSERT_EQUAL(std::string("invalid config"), out.error.msg);
    CPPUNIT_ASSERT_EQUAL(std::string("no bridge"), out.error.details);
  }

  void reportsAPluginWithoutErrorObject() {
    plugin("crash", "echo 'panic: runtime error' >&2; exit 2");
    const auto out =
        runner_->run(RKT_KIND_NET, RKT_CNI_DEL,
                     request(R"({"cniVersion":"1.0.0","name":"ext","type":"crash"})"), -1);
    CPPUNIT_ASSERT(!out.ok);
    CPPUNIT_ASSERT_EQUAL(static_cast<int>(pc::kInternal), out.error.code);
    CPPUNIT_ASSERT_EQUAL(
        "plugin `" + dir_ + "/bin/crash` failed with exit status 2: " + "panic: runtime error",
        out.message());
  }

  void killsAPluginAtItsTimeout() {
    plugin("slow", "exec sleep 600");
    const auto out = runner_->run(
        RKT_KIND_NET, RKT_CNI_ADD,
        request(R"({"cniVersion":"1.0.0","name":"ext","type":"slow","rkt.timeout":0.2})"), -1);
    CPPUNIT_ASSERT(!out.ok);
    CPPUNIT_ASSERT_EQUAL("plugin `" + dir_ + "/bin/slow` timed out: ADD took more than 0.200 s",
                         out.message());
  }

  void namesTheSearchPathOfAMissingType() {
    const auto out =
        runner_->run(RKT_KIND_NET, RKT_CNI_ADD,
                     request(R"({"cniVersion":"1.0.0","name":"ext","type":"nope"})"), -1);
    CPPUNIT_ASSERT(!out.ok);
    CPPUNIT_ASSERT_EQUAL(
        "failed to find plugin \"nope\" in path [" + dir_ + "/none " + dir_ + "/bin]",
        out.message());
  }

  void forcedExternalRunsTheBinaryForAnInProcessType() {
    plugin("ptp", R"(echo '{"cniVersion":"1.0.0","ips":[{"address":"10.9.9.9/24"}],"dns":{}}')");
    const auto out = runner_->run(
        RKT_KIND_NET, RKT_CNI_ADD,
        request(R"({"cniVersion":"1.0.0","name":"ext","type":"ptp","rkt.external":true,)"
                R"("ipam":{"type":"host-local","subnet":"10.9.9.0/24"}})"),
        -1);
    CPPUNIT_ASSERT_MESSAGE(out.message(), out.ok);
    CPPUNIT_ASSERT(out.result.find("10.9.9.9/24") != std::string::npos);
    // Without the key, the in-process ptp answers (and refuses: no netns).
    const auto inProcess =
        runner_->run(RKT_KIND_NET, RKT_CNI_ADD,
                     request(R"({"cniVersion":"1.0.0","name":"ext","type":"ptp",)"
                             R"("ipam":{"type":"host-local","subnet":"10.9.9.0/24"}})"),
                     -1);
    CPPUNIT_ASSERT(!inProcess.ok);
    CPPUNIT_ASSERT_EQUAL(std::string("required env variables [CNI_NETNS] missing"),
                         inProcess.error.msg);
  }

 private:
  std::string dir_;
  rkt::plugin::LoaderOptions options_{};
  std::unique_ptr<rkt::plugin::PluginRegistry> registry_;
  std::unique_ptr<rkt::net::CniRunner> runner_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(CniExecTest);
