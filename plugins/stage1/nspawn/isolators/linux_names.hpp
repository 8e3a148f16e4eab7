// Names the isolators use for Linux numbers: capabilities (`CAP_NET_ADMIN`, appc and rkt spell
// them so) and errno values (`EPERM`, the seccomp isolators' `errno`). The plugin resolves them
// in stage0, so a wrong name is `rkt run`'s error and the supervisor only sees numbers.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_LINUX_NAMES_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_LINUX_NAMES_HPP

#include <optional>
#include <string>

namespace rkt::nspawn {

/// The number of `CAP_<NAME>` (case-insensitive, as rkt accepted `cap_chown`), or nothing.
std::optional<unsigned> capabilityNumber(const std::string& name);
/// `CAP_<NAME>` of a capability number (empty when unknown).
std::string capabilityName(unsigned number);
/// The value of the errno constant `name` (`EPERM`), or nothing.
std::optional<int> errnoNumber(const std::string& name);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_LINUX_NAMES_HPP
