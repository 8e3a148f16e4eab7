// Resolving an app's capability and seccomp sets (isolators/app_isolation.hpp): the defaults,
// retain and remove sets, groups, the appc wildcards, --insecure-options and the errors.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "isolators/app_isolation.hpp"
#include "isolators/linux_names.hpp"
#include "isolators/seccomp_groups.hpp"
#include "rkt/sdk/error.hpp"

using rkt::nspawn::AppIsolation;
using rkt::nspawn::resolveAppIsolation;
using rkt::schema::Isolators;

namespace {

Isolators isolators(const std::string& name, const std::string& json) {
  auto iso = rkt::schema::isolatorFromJson(name, json);
  CPPUNIT_ASSERT(static_cast<bool>(iso));
  return {*iso};
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The message of the error resolving `isos` throws ("" when none).
std::string errorOf(const Isolators& isos) {
  try {
    resolveAppIsolation("a", isos, 0, {});
  } catch (const rkt::sdk::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

class NspawnAppIsolationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NspawnAppIsolationTest);
  CPPUNIT_TEST(defaults);
  CPPUNIT_TEST(capabilitySets);
  CPPUNIT_TEST(seccompSets);
  CPPUNIT_TEST(wildcards);
  CPPUNIT_TEST(insecureOptions);
  CPPUNIT_TEST(errorsNameTheCulprit);
  CPPUNIT_TEST_SUITE_END();

 public:
  void defaults() {
    const AppIsolation root = resolveAppIsolation("a", {}, 0, {});
    CPPUNIT_ASSERT(root.boundCapabilities);
    CPPUNIT_ASSERT_EQUAL(size_t(14), root.capabilities.size());
    CPPUNIT_ASSERT_EQUAL(std::string("retain"), root.seccompMode);
    CPPUNIT_ASSERT_EQUAL(0, root.seccompErrno);
    CPPUNIT_ASSERT(root.syscalls == rkt::nspawn::rktDefaultWhitelist());
    CPPUNIT_ASSERT(!root.noNewPrivileges);
    CPPUNIT_ASSERT(!root.hasOomScoreAdj);
    // A non-root app with a filter must have no_new_privs.
    CPPUNIT_ASSERT(resolveAppIsolation("a", {}, 1000, {}).noNewPrivileges);
  }

  void capabilitySets() {
    const AppIsolation retain = resolveAppIsolation(
        "a",
        isolators("os/linux/capabilities-retain-set", R"({"set":["CAP_SYS_ADMIN","CAP_CHOWN"]})"),
        0, {});
    CPPUNIT_ASSERT(retain.capabilities == (std::vector<unsigned>{0, 21}));
    const AppIsolation remove = resolveAppIsolation(
        "a", isolators("os/linux/capabilities-remove-set", R"({"set":["CAP_CHOWN"]})"), 0, {});
    CPPUNIT_ASSERT_EQUAL(size_t(13), remove.capabilities.size());
    CPPUNIT_ASSERT(std::find(remove.capabilities.begin(), remove.capabilities.end(), 0u) ==
                   remove.capabilities.end());
    CPPUNIT_ASSERT_EQUAL(std::string("CAP_NET_ADMIN"), rkt::nspawn::capabilityName(12));
  }

  void seccompSets() {
    const AppIsolation remove = resolveAppIsolation(
        "a",
        isolators("os/linux/seccomp-remove-set",
                  R"({"set":["uname","@docker/default-blacklist"],"errno":"ENOTSUP"})"),
        0, {});
    CPPUNIT_ASSERT_EQUAL(std::string("remove"), remove.seccompMode);
    CPPUNIT_ASSERT_EQUAL(95, remove.seccompErrno);
    CPPUNIT_ASSERT(has(remove.syscalls, "uname"));
    CPPUNIT_ASSERT(has(remove.syscalls, "keyctl"));
    const AppIsolation systemd = resolveAppIsolation(
        "a", isolators("os/linux/seccomp-retain-set", R"({"set":["@systemd/mount"]})"), 0, {});
    CPPUNIT_ASSERT(has(systemd.syscalls, "mount"));
    CPPUNIT_ASSERT(has(systemd.syscalls, "umount2"));
    for (const char* g :
         {"@rkt/default-whitelist", "@rkt/default-blacklist", "@docker/default-whitelist",
          "@docker/default-blacklist", "@systemd/clock", "@systemd/default-whitelist",
          "@systemd/mount", "@systemd/network-io", "@systemd/obsolete", "@systemd/privileged",
          "@systemd/process", "@systemd/raw-io"}) {
      CPPUNIT_ASSERT_MESSAGE(g, rkt::nspawn::seccompGroup(g).has_value());
    }
  }

  void wildcards() {
    const AppIsolation all = resolveAppIsolation(
        "a", isolators("os/linux/seccomp-retain-set", R"({"set":["@appc.io/all"]})"), 1000, {});
    CPPUNIT_ASSERT_EQUAL(std::string("none"), all.seccompMode);
    CPPUNIT_ASSERT(!all.noNewPrivileges);  // no filter: nothing forces it
    const AppIsolation empty = resolveAppIsolation(
        "a", isolators("os/linux/seccomp-remove-set", R"({"set":["@appc.io/empty"]})"), 0, {});
    CPPUNIT_ASSERT_EQUAL(std::string("retain"), empty.seccompMode);
    CPPUNIT_ASSERT(empty.syscalls == rkt::nspawn::rktDefaultWhitelist());
  }

  void insecureOptions() {
    const AppIsolation open = resolveAppIsolation("a", {}, 1000, {true, true});
    CPPUNIT_ASSERT(!open.boundCapabilities);
    CPPUNIT_ASSERT_EQUAL(std::string("none"), open.seccompMode);
    CPPUNIT_ASSERT(open.syscalls.empty());
    CPPUNIT_ASSERT(!open.noNewPrivileges);
  }

  void errorsNameTheCulprit() {
    std::string e = errorOf(isolators("os/linux/seccomp-retain-set", R"({"set":["@rkt/nope"]})"));
    CPPUNIT_ASSERT_MESSAGE(e, e.find("unknown seccomp group `@rkt/nope`") != std::string::npos);
    e = errorOf(isolators("os/linux/seccomp-retain-set", R"({"set":["@nope"]})"));
    CPPUNIT_ASSERT_MESSAGE(e, e.find("`@nope`") != std::string::npos);
    e = errorOf(isolators("os/linux/seccomp-remove-set", R"({"set":["uname"],"errno":"ENOPE"})"));
    CPPUNIT_ASSERT_MESSAGE(e, e.find("unknown errno `ENOPE`") != std::string::npos);
    e = errorOf(isolators("os/linux/capabilities-retain-set", R"({"set":["CAP_NOPE"]})"));
    CPPUNIT_ASSERT_MESSAGE(e, e.find("unknown capability `CAP_NOPE`") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NspawnAppIsolationTest);
