// The capability isolator in the app's process (rkt-notes §6.5): the bounding set limited to
// the app's capabilities before the credentials change; nothing inheritable or ambient. A root
// app then execs with exactly those capabilities effective and permitted; a non-root app with
// none (rkt gave systemd CapabilityBoundingSet= only: no AmbientCapabilities=), only the bound.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_CAPABILITIES_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_CAPABILITIES_HPP

#include <cstdint>
#include <vector>

namespace rkt::nspawn {

/// The CAP_* numbers as a 64-bit mask.
std::uint64_t capabilityMask(const std::vector<unsigned>& capabilities);

/// Drops every capability outside `keep` from the bounding set (system calls only). Returns
/// nullptr or what failed (errno set).
const char* limitBoundingSet(std::uint64_t keep);

/// Empties the inheritable and ambient sets (system calls only).
const char* clearInheritableCapabilities();

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_CAPABILITIES_HPP
