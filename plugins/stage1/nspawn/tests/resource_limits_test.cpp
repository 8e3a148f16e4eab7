// Resource isolators (isolators/resource_limits.hpp, cgroup_values.hpp): what the image's
// `resource/memory`, `resource/cpu` and `os/linux/cpu-shares` become in cgroup v1 and v2 files,
// as rkt's systemd properties did (rkt-notes §6.4) and as runc converts shares to weight.
#include <cppunit/extensions/HelperMacros.h>

#include "cgroup_values.hpp"
#include "isolators/resource_limits.hpp"
#include "rkt/sdk/error.hpp"

using rkt::nspawn::cpuMaxLine;
using rkt::nspawn::cpuQuotaMicros;
using rkt::nspawn::cpuSharesToWeight;
using rkt::nspawn::resolveResourceLimits;
using rkt::nspawn::ResourceLimits;
using rkt::schema::Isolators;

namespace {

Isolators isolators(const std::vector<std::pair<std::string, std::string>>& items) {
  Isolators out;
  for (const auto& [name, json] : items) {
    auto iso = rkt::schema::isolatorFromJson(name, json);
    CPPUNIT_ASSERT(static_cast<bool>(iso));
    out.push_back(*iso);
  }
  return out;
}

}  // namespace

class NspawnResourceLimitsTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(NspawnResourceLimitsTest);
  CPPUNIT_TEST(cpuQuotaAsSystemdComputedIt);
  CPPUNIT_TEST(sharesToWeightAsRunc);
  CPPUNIT_TEST(resolvesTheLimits);
  CPPUNIT_TEST(noIsolatorsNoLimits);
  CPPUNIT_TEST(cpuLimitTooLargeIsAnError);
  CPPUNIT_TEST_SUITE_END();

 public:
  void cpuQuotaAsSystemdComputedIt() {
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(80000), cpuQuotaMicros(800));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(90000), cpuQuotaMicros(900));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(200000), cpuQuotaMicros(2000));  // two cores
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(80000), cpuQuotaMicros(805));    // rkt's whole percent
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(1000), cpuQuotaMicros(5));       // systemd's 1 ms floor
    CPPUNIT_ASSERT_EQUAL(std::string("80000 100000"), cpuMaxLine(80000));
  }

  void sharesToWeightAsRunc() {
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), cpuSharesToWeight(2));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(39), cpuSharesToWeight(1024));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(20), cpuSharesToWeight(512));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(10000), cpuSharesToWeight(262144));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), cpuSharesToWeight(0));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(10000), cpuSharesToWeight(1u << 30));
  }

  void resolvesTheLimits() {
    const ResourceLimits r =
        resolveResourceLimits("a", isolators({{"resource/memory", R"({"limit": "25Mi"})"},
                                              {"resource/cpu", R"({"limit": "800m"})"},
                                              {"os/linux/cpu-shares", "512"}}));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(26214400), r.memoryBytes);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(80000), r.cpuQuotaMicros);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(512), r.cpuShares);
    // Only the limit counts, as in rkt.
    const ResourceLimits requestOnly =
        resolveResourceLimits("a", isolators({{"resource/memory", R"({"request": "1Gi"})"}}));
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), requestOnly.memoryBytes);
  }

  void noIsolatorsNoLimits() {
    const ResourceLimits r = resolveResourceLimits("a", {});
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), r.memoryBytes);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), r.cpuQuotaMicros);
    CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), r.cpuShares);
  }

  void cpuLimitTooLargeIsAnError() {
    try {
      resolveResourceLimits("web",
                            isolators({{"resource/cpu", R"({"limit": "10000000000000000"})"}}));
      CPPUNIT_FAIL("no error");
    } catch (const rkt::sdk::Error& e) {
      CPPUNIT_ASSERT_EQUAL(
          std::string("app `web`: cpu limit exceeds the maximum millivalue: 10000000000000000"),
          std::string(e.what()));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NspawnResourceLimitsTest);
