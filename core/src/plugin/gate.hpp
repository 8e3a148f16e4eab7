// The ABI gate: the checks a plugin file must pass before and after it is opened. Pure
// functions over names, stat results and descriptors, so each rule is testable on its own.
#ifndef RKT_CORE_SRC_PLUGIN_GATE_HPP
#define RKT_CORE_SRC_PLUGIN_GATE_HPP

#include <optional>
#include <string>
#include <string_view>

#include "rkt/abi/plugin.h"
#include "rkt/core/plugin/report.hpp"

namespace rkt::plugin::detail {

/// <kind> and <name> of a plugin file name "<kind>-<name>.so".
struct PluginFileName {
  rkt_kind kind = RKT_KIND_INVALID;
  std::string name;
};

/// Parses "<kind>-<name>.so" (the kind is everything before the first '-'); nullopt when the
/// name has another shape, the kind is unknown or <name> is empty.
std::optional<PluginFileName> parsePluginFileName(std::string_view fileName);

/// A refusal and its message; Refusal::None when the check passed.
struct Verdict {
  Refusal refusal = Refusal::None;
  std::string message;
  bool refused() const { return refusal != Refusal::None; }
};

/// Ownership rule for plugin directories and files (rkt::module::checkOwnership, shared with
/// the lazy module loader): owned by root, not world-writable. `what` names the object in the
/// message ("directory `/x`"). Stat failures are refusals too.
Verdict checkOwnership(const std::string& path, const std::string& what, Refusal refusal);

/// ABI 1.0 descriptors carry every field up to `init`.
constexpr size_t kMinDescriptorSize =
    offsetof(rkt_plugin_descriptor, init) + sizeof(rkt_plugin_descriptor::init);

/// Applies the load rule to a descriptor the plugin returned (non-NULL), in this order:
/// abi-major-mismatch, abi-minor-newer, descriptor-too-large, descriptor-too-small,
/// empty-field (name, version, description, license), no-init, name-mismatch against
/// `fileName`. Fills the ABI and descriptor fields of `report` with whatever could be read
/// safely, and `out` with the host copy (zero past struct_size) when the rule passed.
Verdict checkDescriptor(const rkt_plugin_descriptor& descriptor, const std::string& fileName,
                        const std::string& expectedName, PluginReport& report,
                        rkt_plugin_descriptor& out);

}  // namespace rkt::plugin::detail

#endif  // RKT_CORE_SRC_PLUGIN_GATE_HPP
