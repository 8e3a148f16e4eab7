#include "resource_limits.hpp"

#include <algorithm>
#include <cerrno>
#include <limits>

#include "rkt/support/appexec/sys.hpp"

namespace rkt::nspawn {

namespace {

namespace iso = schema::isolator;

// rkt's MaxMilliValue: the largest cpu limit whose millivalue fits an int64.
constexpr std::int64_t kMaxCpuCores = std::numeric_limits<std::int64_t>::max() / 1000;

[[noreturn]] void invalid(const std::string& app, const std::string& what) {
  appexec::fail(RKT_E_INVALID, "app `" + app + "`: " + what, EINVAL);
}

const schema::Quantity* limitOf(const schema::Isolators& isolators, std::string_view name) {
  const schema::Isolator* found = schema::findIsolator(isolators, name);
  if (found == nullptr) {
    return nullptr;
  }
  const schema::ResourceValue* value = found->as<schema::ResourceValue>();
  return value != nullptr && value->limit ? &*value->limit : nullptr;
}

}  // namespace

ResourceLimits resolveResourceLimits(const std::string& app, const schema::Isolators& isolators) {
  ResourceLimits out;
  if (const schema::Quantity* memory = limitOf(isolators, iso::kResourceMemory)) {
    const std::optional<std::int64_t> bytes = memory->value();
    if (memory->isNegative() || !bytes) {
      invalid(app, "memory limit `" + memory->text() + "` is not a byte count");
    }
    out.memoryBytes = static_cast<std::uint64_t>(*bytes);
  }
  if (const schema::Quantity* cpu = limitOf(isolators, iso::kResourceCpu)) {
    const std::optional<std::int64_t> cores = cpu->value();
    const std::optional<std::int64_t> milli = cpu->milliValue();
    if (cpu->isNegative() || !cores || !milli || *cores > kMaxCpuCores) {
      invalid(app, "cpu limit exceeds the maximum millivalue: " + cpu->text());
    }
    out.cpuQuotaMicros = cpuQuotaMicros(*milli);
  }
  if (const schema::Isolator* shares = schema::findIsolator(isolators, iso::kCpuShares)) {
    out.cpuShares = static_cast<std::uint64_t>(shares->as<schema::CpuShares>()->value);
  }
  return out;
}

}  // namespace rkt::nspawn
