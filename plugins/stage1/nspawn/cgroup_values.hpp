// The numbers rkt's systemd properties became in cgroup files (rkt-notes §6.4), for cgroup v1
// and v2: shared by the plugin (which resolves them into the pod plan) and the supervisor (which
// writes them). No dependencies: the supervisor is a static executable.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_CGROUP_VALUES_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_CGROUP_VALUES_HPP

#include <cstdint>
#include <string>

namespace rkt::nspawn {

/// The period systemd gives a `CPUQuota=` (100 ms), in microseconds: cpu.cfs_period_us (v1), the
/// second field of cpu.max (v2).
inline constexpr std::uint64_t kCpuPeriodMicros = 100000;

/// An app's limits; 0 means "no limit" (rkt's stage0 refuses memory limits that low, the cpu
/// shares are 2..262144 and a quota is at least 1 ms).
struct ResourceLimits {
  std::uint64_t memoryBytes = 0;     ///< memory.limit_in_bytes (v1), memory.max (v2)
  std::uint64_t cpuQuotaMicros = 0;  ///< per kCpuPeriodMicros: cpu.cfs_quota_us, cpu.max
  std::uint64_t cpuShares = 0;       ///< cpu.shares (v1); cpu.weight via cpuSharesToWeight (v2)
};

/// rkt's `CPUQuota=<millicores / 10>%` as systemd turns it into a quota per 100 ms period:
/// percent × 1000 µs, at least 1000 µs (systemd's minimum). 800 → 80000.
std::uint64_t cpuQuotaMicros(std::int64_t millicores);

/// cpu.shares (2..262144) → cpu.weight (1..10000), as runc and crun convert OCI shares on v2:
/// 1 + (shares − 2) × 9999 / 262142 (1024 → 39). Out-of-range shares are clamped first.
std::uint64_t cpuSharesToWeight(std::uint64_t shares);

/// The v2 `cpu.max` line for a quota per kCpuPeriodMicros: "80000 100000".
std::string cpuMaxLine(std::uint64_t quotaMicros);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_CGROUP_VALUES_HPP
