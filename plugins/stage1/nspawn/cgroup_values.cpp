#include "cgroup_values.hpp"

#include <algorithm>

namespace rkt::nspawn {

std::uint64_t cpuQuotaMicros(std::int64_t millicores) {
  // rkt truncated to a whole percent (millicores / 10); systemd keeps at least 1 ms.
  const std::int64_t percent = std::max<std::int64_t>(millicores, 0) / 10;
  return std::max<std::uint64_t>(static_cast<std::uint64_t>(percent) * 1000, 1000);
}

std::uint64_t cpuSharesToWeight(std::uint64_t shares) {
  const std::uint64_t clamped = std::clamp<std::uint64_t>(shares, 2, 262144);
  return 1 + ((clamped - 2) * 9999) / 262142;
}

std::string cpuMaxLine(std::uint64_t quotaMicros) {
  return std::to_string(quotaMicros) + " " + std::to_string(kCpuPeriodMicros);
}

}  // namespace rkt::nspawn
