// rkt-cni's one job after skel's checks: run the invocation through the core's CniRunner (the
// same plugin loader, delegation and external fallback as `rkt run`) with the in-process plugin
// of the type this binary is invoked as (argv[0]: a link named `ptp`, `host-local`…) or, as
// `rkt-cni`, the configuration's `type`; and print what a CNI plugin prints.
#ifndef RKT_TOOLS_RKT_CNI_CNI_DISPATCH_HPP
#define RKT_TOOLS_RKT_CNI_CNI_DISPATCH_HPP

#include <string>

#include "cni_invocation.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::cnitool {

/// The name rkt-cni answers to itself (any other argv[0] basename is a type).
inline constexpr const char* kToolName = "rkt-cni";

struct Output {
  int exitCode = 0;  ///< 0, or 1 with CNI's error object on stdout (skel's PluginMain)
  std::string out;
};

/// Runs `inv` (not VERSION) as the plugin `invokedAs` names (kToolName: the config's `type`).
Output dispatch(const Invocation& inv, const std::string& invokedAs,
                plugin::PluginRegistry& registry, const std::string& stateDir);

/// The answer to VERSION: our newest version and every version the plugins speak.
std::string versionAnswer();

/// The error object as a plugin prints it, with exit code 1.
Output failed(const protocol::cni::ErrorObject& e);
Output failed(int code, const std::string& msg, const std::string& details = "");

}  // namespace rkt::cnitool

#endif  // RKT_TOOLS_RKT_CNI_CNI_DISPATCH_HPP
