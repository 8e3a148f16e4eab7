// Every known isolator's value rules, unknown isolators, multiplicity and conflicts.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "rkt/schema/isolator.hpp"
#include "schema_test_util.hpp"

using namespace rkt::schema;
namespace iso = rkt::schema::isolator;

class IsolatorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(IsolatorTest);
  CPPUNIT_TEST(cpuAndMemory);
  CPPUNIT_TEST(bandwidthAndIops);
  CPPUNIT_TEST(capabilities);
  CPPUNIT_TEST(noNewPrivileges);
  CPPUNIT_TEST(seccomp);
  CPPUNIT_TEST(selinux);
  CPPUNIT_TEST(apparmor);
  CPPUNIT_TEST(oomScoreAdjAndCpuShares);
  CPPUNIT_TEST(sysctl);
  CPPUNIT_TEST(unknownIsolators);
  CPPUNIT_TEST(typedValueMustMatchName);
  CPPUNIT_TEST(appScopeRules);
  CPPUNIT_TEST(podScopeIsLenient);
  CPPUNIT_TEST(encodingRoundTrips);
  CPPUNIT_TEST(defaults);
  CPPUNIT_TEST_SUITE_END();

  static Isolator ok(std::string_view name, std::string_view json) {
    auto r = isolatorFromJson(name, json);
    SCHEMA_ASSERT_OK(r);
    return *r;
  }

 public:
  void cpuAndMemory() {
    Isolator cpu = ok(iso::kResourceCpu, R"({"request":"250m","limit":"500m"})");
    CPPUNIT_ASSERT_EQUAL(std::int64_t(250), cpu.as<ResourceValue>()->request->milliValue().value());
    CPPUNIT_ASSERT_EQUAL(std::int64_t(500), cpu.as<ResourceValue>()->limit->milliValue().value());
    ok(iso::kResourceCpu, "{}");
    ok(iso::kResourceCpu, R"({"default":false,"limit":2})");
    Isolator numeric = ok(iso::kResourceCpu, R"({"limit":0.5})");
    CPPUNIT_ASSERT_EQUAL(std::int64_t(500),
                         numeric.as<ResourceValue>()->limit->milliValue().value());
    Isolator mem = ok(iso::kResourceMemory, R"({"Limit":"1Gi"})");  // keys match case-insensitively
    CPPUNIT_ASSERT_EQUAL(std::int64_t(1073741824), mem.as<ResourceValue>()->limit->value().value());
    CPPUNIT_ASSERT(!mem.as<ResourceValue>()->request);
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceCpu, R"({"default":true})"),
                        "invalid isolator `resource/cpu`: `value.default`: must be false");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceMemory, R"({"limit":"1K"})"),
                        "`value.limit`: invalid quantity `1K`");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceMemory, R"({"limit":"-1G"})"),
                        "`value.limit`: must not be negative, got `-1G`");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceMemory, R"({"request":-5})"),
                        "`value.request`: must not be negative");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceMemory, R"({"limit":true})"),
                        "expected a quantity");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceMemory, R"("1G")"),
                        "`value`: expected an object, got a string");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kResourceMemory, "null"), "`value`: must be set");
  }

  void bandwidthAndIops() {
    for (auto name :
         {iso::kResourceBlockBandwidth, iso::kResourceBlockIops, iso::kResourceNetworkBandwidth}) {
      Isolator i = ok(name, R"({"default":true,"limit":"1M"})");
      CPPUNIT_ASSERT(i.as<ResourceValue>()->isDefault);
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"limit":"1M"})"),
                          "`value.default`: must be true");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"default":true,"request":"1","limit":"1M"})"),
                          "`value.request`: is not allowed");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"default":true})"),
                          "`value.limit`: must be set");
    }
  }

  void capabilities() {
    for (auto name : {iso::kCapabilitiesRetainSet, iso::kCapabilitiesRemoveSet}) {
      Isolator i = ok(name, R"({"set":["CAP_NET_ADMIN","CAP_PONIES"]})");  // names are not checked
      CPPUNIT_ASSERT(
          (i.as<CapabilitySet>()->set == std::vector<std::string>{"CAP_NET_ADMIN", "CAP_PONIES"}));
      ok(name, R"({"SET":["CAP_KILL"]})");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":[]})"),
                          "`value.set`: must not be empty");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, "{}"), "`value.set`: must not be empty");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":[""]})"),
                          "`value.set[0]`: must not be empty");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":"CAP_KILL"})"),
                          "`value.set`: expected an array");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":[1]})"),
                          "`value.set[0]`: expected a string");
    }
  }

  void noNewPrivileges() {
    CPPUNIT_ASSERT(ok(iso::kNoNewPrivileges, "true").as<NoNewPrivileges>()->enabled);
    CPPUNIT_ASSERT(!ok(iso::kNoNewPrivileges, "false").as<NoNewPrivileges>()->enabled);
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kNoNewPrivileges, R"("true")"),
                        "expected a boolean, got a string");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kNoNewPrivileges, "1"),
                        "expected a boolean, got a number");
  }

  void seccomp() {
    for (auto name : {iso::kSeccompRetainSet, iso::kSeccompRemoveSet}) {
      Isolator i = ok(name, R"({"set":["@appc.io/all"]})");
      CPPUNIT_ASSERT(i.as<SeccompSet>()->errnoName.empty());
      i = ok(name, R"({"set":["read","write"],"errno":"EPERM"})");
      CPPUNIT_ASSERT_EQUAL(std::string("EPERM"), i.as<SeccompSet>()->errnoName);
      ok(name, R"({"set":["read"],"errno":"E2BIG"})");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":["read"],"errno":"eperm"})"),
                          "`value.errno`: must be an errno name like EPERM, got `eperm`");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":["read"],"errno":"PERM"})"),
                          "`value.errno`");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":["read"],"errno":"E-PERM"})"),
                          "`value.errno`");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":[]})"),
                          "`value.set`: must not be empty");
      SCHEMA_ASSERT_ERROR(isolatorFromJson(name, R"({"set":["read"],"errno":1})"),
                          "`value.errno`: expected a string");
    }
  }

  void selinux() {
    Isolator i =
        ok(iso::kSelinuxContext,
           R"({"user":"system_u","role":"system_r","type":"svirt_lxc_net_t","level":"s0:c1,c2"})");
    CPPUNIT_ASSERT_EQUAL(std::string("s0:c1,c2"), i.as<SelinuxContext>()->level);
    SCHEMA_ASSERT_ERROR(
        isolatorFromJson(iso::kSelinuxContext, R"({"user":"u","role":"r","type":"t"})"),
        "`value.level`: must not be empty");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kSelinuxContext,
                                         R"({"user":"u:x","role":"r","type":"t","level":"s0"})"),
                        "`value.user`: must not contain `:`");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kSelinuxContext,
                                         R"({"user":"u","role":"r:","type":"t","level":"s0"})"),
                        "`value.role`");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kSelinuxContext,
                                         R"({"user":"u","role":"r","type":"t:t","level":"s0"})"),
                        "`value.type`");
  }

  void apparmor() {
    CPPUNIT_ASSERT_EQUAL(std::string("docker-default"),
                         ok(iso::kApparmorProfile, R"({"profile":"docker-default"})")
                             .as<ApparmorProfile>()
                             ->profile);
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kApparmorProfile, R"({"profile":""})"),
                        "`value.profile`: must not be empty");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kApparmorProfile, "{}"), "`value.profile`");
  }

  void oomScoreAdjAndCpuShares() {
    CPPUNIT_ASSERT_EQUAL(std::int64_t(500), ok(iso::kOomScoreAdj, "500").as<OomScoreAdj>()->value);
    ok(iso::kOomScoreAdj, "-1000");
    ok(iso::kOomScoreAdj, "1000");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kOomScoreAdj, "1001"),
                        "`value`: must be between -1000 and 1000, got 1001");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kOomScoreAdj, "-1001"), "got -1001");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kOomScoreAdj, R"("5")"),
                        "`value`: expected an integer, got a string");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kOomScoreAdj, "1.5"),
                        "expected an integer, got a number");
    CPPUNIT_ASSERT_EQUAL(std::int64_t(2), ok(iso::kCpuShares, "2").as<CpuShares>()->value);
    ok(iso::kCpuShares, "262144");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kCpuShares, "1"),
                        "must be between 2 and 262144, got 1");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kCpuShares, "262145"), "got 262145");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kCpuShares, "18446744073709551615"), "out of range");
  }

  void sysctl() {
    Isolator i = ok(iso::kSysctl, R"({"net.ipv4.ip_forward":"1","net.core.somaxconn":"1024"})");
    CPPUNIT_ASSERT_EQUAL(std::string("1"), i.as<Sysctl>()->values.at("net.ipv4.ip_forward"));
    ok(iso::kSysctl, "{}");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kSysctl, R"({"net.x":1})"),
                        "`value.net.x`: expected a string");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kSysctl, R"({"":"1"})"),
                        "sysctl names must not be empty");
    SCHEMA_ASSERT_ERROR(isolatorFromJson(iso::kSysctl, R"(["net.x"])"), "expected an object");
  }

  void unknownIsolators() {
    Isolator i = ok("example.com/custom", R"({ "a" : [1, "x", null, true, 1.5] })");
    CPPUNIT_ASSERT(!isKnownIsolator(i.name));
    CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":[1,"x",null,true,1.5]})"),
                         i.as<UnknownIsolatorValue>()->json);
    CPPUNIT_ASSERT_EQUAL(std::string("\"text\""),
                         ok("x/y", R"("text")").as<UnknownIsolatorValue>()->json);
    SCHEMA_ASSERT_ERROR(isolatorFromJson("Bad Name", "{}"),
                        "`name`: invalid AC identifier `Bad Name`");
    SCHEMA_ASSERT_ERROR(isolatorFromJson("x/y", "{"), "malformed JSON");
    SCHEMA_ASSERT_ERROR(isolatorFromJson("x/y", "1,2"),
                        "malformed JSON: expected exactly one value");
    SCHEMA_ASSERT_ERROR(isolatorFromJson("x/y", "1] [2"), "malformed JSON");
    SCHEMA_ASSERT_ERROR(isolatorFromJson("x/y", ""), "malformed JSON");
  }

  void typedValueMustMatchName() {
    Isolator wrong{std::string(iso::kResourceCpu), CapabilitySet{{"CAP_KILL"}}};
    SCHEMA_ASSERT_ERROR(validateIsolator(wrong),
                        "`isolator.value`: holds the wrong kind of value for `resource/cpu`");
    Isolator typedUnknown{"example.com/x", NoNewPrivileges{true}};
    SCHEMA_ASSERT_ERROR(validateIsolator(typedUnknown), "needs a known isolator name");
    Isolator untyped{std::string(iso::kNoNewPrivileges), UnknownIsolatorValue{"true"}};
    SCHEMA_ASSERT_ERROR(validateIsolator(untyped), "wrong kind of value");
  }

  void appScopeRules() {
    Isolators list = {ok(iso::kResourceMemory, R"({"limit":"1G"})"),
                      ok(iso::kResourceMemory, R"({"limit":"2G"})"),
                      ok(iso::kCapabilitiesRetainSet, R"({"set":["CAP_KILL"]})")};
    SCHEMA_ASSERT_OK(validateIsolators(list, IsolatorScope::App));
    // Repeats are allowed for resources; the last one counts.
    CPPUNIT_ASSERT_EQUAL(
        std::string("2G"),
        findIsolator(list, iso::kResourceMemory)->as<ResourceValue>()->limit->text());
    CPPUNIT_ASSERT(!findIsolator(list, iso::kResourceCpu));

    Isolators unknown = {ok("example.com/custom", "{}")};
    SCHEMA_ASSERT_ERROR(validateIsolators(unknown, IsolatorScope::App, "app.isolators"),
                        "`app.isolators[0].name`: unknown isolator `example.com/custom`");

    Isolators seccomp = {ok(iso::kSeccompRemoveSet, R"({"set":["ptrace"]})"),
                         ok(iso::kSeccompRetainSet, R"({"set":["read"]})")};
    SCHEMA_ASSERT_ERROR(validateIsolators(seccomp, IsolatorScope::App),
                        "`isolators[1]`: `os/linux/seccomp-retain-set` conflicts with "
                        "`os/linux/seccomp-remove-set` at `isolators[0]`");
    Isolators caps = {ok(iso::kCapabilitiesRetainSet, R"({"set":["CAP_KILL"]})"),
                      ok(iso::kCapabilitiesRemoveSet, R"({"set":["CAP_CHOWN"]})")};
    SCHEMA_ASSERT_ERROR(validateIsolators(caps, IsolatorScope::App),
                        "conflicts with `os/linux/capabilities-retain-set`");

    const std::pair<std::string_view, const char*> singletons[] = {
        {iso::kSeccompRemoveSet, R"({"set":["ptrace"]})"},
        {iso::kSeccompRetainSet, R"({"set":["read"]})"},
        {iso::kSelinuxContext, R"({"user":"u","role":"r","type":"t","level":"s0"})"},
        {iso::kApparmorProfile, R"({"profile":"p"})"},
        {iso::kOomScoreAdj, "5"},
        {iso::kCpuShares, "5"},
        {iso::kSysctl, "{}"}};
    for (const auto& [name, json] : singletons) {
      Isolators twice = {ok(name, json), ok(name, json)};
      SCHEMA_ASSERT_ERROR(
          validateIsolators(twice, IsolatorScope::App),
          "`isolators[1]`: only one `" + std::string(name) + "` isolator is allowed");
    }
    Isolators bad = {ok(iso::kOomScoreAdj, "5")};
    std::get<OomScoreAdj>(bad[0].value).value = 5000;
    SCHEMA_ASSERT_ERROR(validateIsolators(bad, IsolatorScope::App, "app.isolators"),
                        "`app.isolators[0].value`: must be between -1000 and 1000");
  }

  void podScopeIsLenient() {
    Isolators list = {ok("example.com/custom", "{}"), ok(iso::kOomScoreAdj, "5"),
                      ok(iso::kOomScoreAdj, "6")};
    SCHEMA_ASSERT_OK(validateIsolators(list, IsolatorScope::Pod));
    Isolators bad = {ok(iso::kResourceMemory, "{}")};
    std::get<ResourceValue>(bad[0].value).isDefault = true;
    SCHEMA_ASSERT_ERROR(validateIsolators(bad, IsolatorScope::Pod),
                        "`isolators[0].value.default`: must be false");
  }

  void encodingRoundTrips() {
    const std::pair<std::string_view, const char*> cases[] = {
        {iso::kResourceCpu, R"({"request":"250m","limit":"500m"})"},
        {iso::kResourceBlockIops, R"({"default":true,"limit":"1k"})"},
        {iso::kCapabilitiesRemoveSet, R"({"set":["CAP_KILL","CAP_CHOWN"]})"},
        {iso::kNoNewPrivileges, "true"},
        {iso::kSeccompRemoveSet, R"({"set":["ptrace"],"errno":"EPERM"})"},
        {iso::kSeccompRetainSet, R"({"set":["read"]})"},
        {iso::kSelinuxContext, R"({"user":"u","role":"r","type":"t","level":"s0"})"},
        {iso::kApparmorProfile, R"({"profile":"p"})"},
        {iso::kOomScoreAdj, "-17"},
        {iso::kCpuShares, "1024"},
        {iso::kSysctl, R"({"net.a":"1","net.b":"2"})"},
        {"example.com/custom", R"({"z":1,"a":[]})"},
    };
    for (const auto& [name, json] : cases) {
      Isolator i = ok(name, json);
      auto text = isolatorValueToJson(i);
      SCHEMA_ASSERT_OK(text);
      CPPUNIT_ASSERT_EQUAL(std::string(json), *text);
      CPPUNIT_ASSERT(ok(name, *text) == i);
    }
    // A quantity given as a JSON number is written back as its text.
    CPPUNIT_ASSERT_EQUAL(
        std::string(R"({"limit":"1073741824"})"),
        isolatorValueToJson(ok(iso::kResourceMemory, R"({"limit":1073741824})")).value());
    Isolator broken{"example.com/x", UnknownIsolatorValue{"{not json"}};
    SCHEMA_ASSERT_ERROR(isolatorValueToJson(broken),
                        "cannot encode isolator `example.com/x`: `value`: not valid JSON");
  }

  void defaults() {
    const auto& caps = defaultCapabilities();
    CPPUNIT_ASSERT_EQUAL(size_t(14), caps.size());
    CPPUNIT_ASSERT(std::find(caps.begin(), caps.end(), "CAP_NET_BIND_SERVICE") != caps.end());
    CPPUNIT_ASSERT(std::find(caps.begin(), caps.end(), "CAP_SYS_ADMIN") == caps.end());
    CPPUNIT_ASSERT(isKnownIsolator(iso::kApparmorProfile));
    CPPUNIT_ASSERT(!isKnownIsolator("resource/gpu"));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IsolatorTest);
