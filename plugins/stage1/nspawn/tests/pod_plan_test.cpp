// The pod plan the nspawn plugin writes and the supervisor reads (pod_plan.hpp).
#include <cppunit/extensions/HelperMacros.h>

#include "pod_plan.hpp"
#include "rkt/sdk/error.hpp"

using rkt::nspawn::AppPlan;
using rkt::nspawn::decodePodPlan;
using rkt::nspawn::encodePodPlan;
using rkt::nspawn::PodPlan;

class NspawnPodPlanTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NspawnPodPlanTest);
  CPPUNIT_TEST(roundTrip);
  CPPUNIT_TEST(refusesBadPlans);
  CPPUNIT_TEST_SUITE_END();

 public:
  void roundTrip() {
    PodPlan plan;
    plan.uuid = "u";
    plan.hostname = "h";
    plan.resolvMode = "host";
    plan.hostsMode = "stage0";
    plan.interactive = true;
    plan.stopTimeout = 3;
    plan.ownCgroupHierarchies = {"memory", "cpu,cpuacct"};
    plan.protectPaths = false;
    AppPlan a;
    a.name = "web";
    a.program = "/bin/sh";
    a.argv = {"sh", "-c", "echo 'a\nb' \"\" x", ""};
    a.workDir = "/srv";
    a.uid = 1000;
    a.gid = 300;
    a.supplementaryGids = {10, 20};
    a.ownSys = true;
    a.readOnlyRootfs = true;
    a.handlers = {{"pre-start", {"/bin/true", "x"}}, {"post-stop", {"/bin/false"}}};
    a.isolation.boundCapabilities = true;
    a.isolation.capabilities = {0, 21};
    a.isolation.seccompMode = "remove";
    a.isolation.seccompErrno = 95;
    a.isolation.syscalls = {"uname", "acct"};
    a.isolation.noNewPrivileges = true;
    a.isolation.hasOomScoreAdj = true;
    a.isolation.oomScoreAdj = -500;
    a.isolation.resources = {8ULL << 30, 80000, 512};  // above 32 bits: 8 GiB
    plan.apps = {a, a};
    plan.apps[1].name = "db";
    const PodPlan back = decodePodPlan(encodePodPlan(plan));
    CPPUNIT_ASSERT_EQUAL(std::string("h"), back.hostname);
    CPPUNIT_ASSERT_EQUAL(std::string("host"), back.resolvMode);
    CPPUNIT_ASSERT_EQUAL(std::string("stage0"), back.hostsMode);
    CPPUNIT_ASSERT(back.interactive);
    CPPUNIT_ASSERT_EQUAL(3, back.stopTimeout);
    CPPUNIT_ASSERT(back.ownCgroupHierarchies == plan.ownCgroupHierarchies);
    CPPUNIT_ASSERT(!back.protectPaths);
    CPPUNIT_ASSERT_EQUAL(size_t(2), back.apps.size());
    const AppPlan& w = back.apps[0];
    CPPUNIT_ASSERT_EQUAL(std::string("web"), w.name);
    CPPUNIT_ASSERT(w.argv == a.argv);
    CPPUNIT_ASSERT_EQUAL(std::string("/srv"), w.workDir);
    CPPUNIT_ASSERT_EQUAL(uid_t(1000), w.uid);
    CPPUNIT_ASSERT_EQUAL(gid_t(300), w.gid);
    CPPUNIT_ASSERT(w.supplementaryGids == a.supplementaryGids);
    CPPUNIT_ASSERT(w.ownSys);
    CPPUNIT_ASSERT(w.readOnlyRootfs);
    CPPUNIT_ASSERT_EQUAL(size_t(2), w.handlers.size());
    CPPUNIT_ASSERT(w.handlers[0].exec == a.handlers[0].exec);
    CPPUNIT_ASSERT_EQUAL(std::string("post-stop"), w.handlers[1].name);
    CPPUNIT_ASSERT_EQUAL(std::string("db"), back.apps[1].name);
    const rkt::nspawn::AppIsolation& i = w.isolation;
    CPPUNIT_ASSERT(i.boundCapabilities);
    CPPUNIT_ASSERT(i.capabilities == a.isolation.capabilities);
    CPPUNIT_ASSERT_EQUAL(std::string("remove"), i.seccompMode);
    CPPUNIT_ASSERT_EQUAL(95, i.seccompErrno);
    CPPUNIT_ASSERT(i.syscalls == a.isolation.syscalls);
    CPPUNIT_ASSERT(i.noNewPrivileges);
    CPPUNIT_ASSERT(i.hasOomScoreAdj);
    CPPUNIT_ASSERT_EQUAL(-500, i.oomScoreAdj);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(8ULL << 30), i.resources.memoryBytes);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(80000), i.resources.cpuQuotaMicros);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(512), i.resources.cpuShares);
  }

  void refusesBadPlans() {
    auto invalid = [](const std::string& bytes) {
      try {
        decodePodPlan(bytes);
      } catch (const rkt::sdk::Error& e) {
        return std::string(e.what()).rfind("invalid pod plan: ", 0) == 0;
      }
      return false;
    };
    using namespace std::string_literals;
    CPPUNIT_ASSERT(invalid("uuid\0"s));                                  // truncated
    CPPUNIT_ASSERT(invalid("color\0red\0"s));                            // unknown pod key
    CPPUNIT_ASSERT(invalid("app\0a\0program\0/x\0arg\0x\0uid\0-1\0"s));  // not a number
    CPPUNIT_ASSERT(invalid("app\0a\0handler-arg\0x\0"s));                // no handler
    CPPUNIT_ASSERT(invalid("app\0a\0seccomp\0maybe\0"s));                // bad mode
    CPPUNIT_ASSERT(invalid("app\0a\0"s));                                // no program
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NspawnPodPlanTest);
