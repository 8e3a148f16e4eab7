// Runs the CNI operations of in-process net and ipam plugins (rkt/abi/net.h) the way a CNI
// runtime execs plugin binaries: the plugin named by the network's `type` (or `ipam.type`)
// from the registry, the container netns as a descriptor, a state directory per plugin,
// delegation between plugins in-process, and the host's check that the plugin came back to the
// host netns. A type no in-process plugin provides, or one the configuration forces external
// (`"rkt.external": true`, at the top level for the network type, inside `ipam` for the IPAM
// type), runs through the `cni-exec` plugin: the CNI binary of that name in the external search
// path (docs/networking.md, "CNI compatibility").
#ifndef RKT_CORE_NET_CNI_RUNNER_HPP
#define RKT_CORE_NET_CNI_RUNNER_HPP

#include <string>
#include <vector>

#include "rkt/abi/net.h"
#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::plugin {
class PluginRegistry;
class Instance;
}  // namespace rkt::plugin

namespace rkt::net {

/// What one operation gave: its result (JSON; empty for all but ADD and VERSION) or its CNI
/// error object.
struct CniOutcome {
  bool ok = false;
  std::string result;
  protocol::cni::ErrorObject error;
  /// "msg: details", what rkt prints.
  std::string message() const;
};

/// The factory name of the plugin that runs external CNI binaries (net-cni-exec.so).
inline constexpr const char* kCniExec = "cni-exec";

/// rkt's search path for CNI plugin binaries (rkt-notes §5.4, plus the CNI conventional
/// directories): `<localConfig>/net.d`, /usr/lib/rkt/plugins/net, /usr/lib/cni, /opt/cni/bin.
std::vector<std::string> externalCniPath(const std::string& localConfig);

/// Whether a network's configuration forces the external binary for `kind`
/// (`"rkt.external": true` at the top level for net, inside `ipam` for IPAM).
bool forcedExternal(rkt_kind kind, const std::string& configJson);

class CniRunner {
 public:
  /// `stateRoot`: where each plugin's state directory is made (`<stateRoot>/<kind>-<type>`).
  /// `externalPath`: where `cni-exec` looks for CNI binaries (and their CNI_PATH).
  CniRunner(plugin::PluginRegistry& registry, std::string stateRoot,
            std::vector<std::string> externalPath = externalCniPath("/etc/rkt"));

  /// Runs `command` of the plugin of `kind` the request's config names, with the container
  /// netns `containerNetns` (-1: none). Never throws; a plugin that is missing or refused is
  /// an outcome with CNI code 999 naming it.
  CniOutcome run(rkt_kind kind, rkt_cni_command command, const protocol::cni::Request& request,
                 int containerNetns);

  plugin::PluginRegistry& registry() { return registry_; }
  const std::string& stateRoot() const { return stateRoot_; }

 private:
  /// The instance running `type`: its in-process plugin, else cni-exec configured with the
  /// external search path. `pluginName` gets the plugin's factory name (its state directory).
  Result<plugin::Instance> instanceFor(rkt_kind kind, const std::string& type,
                                       const std::string& configJson, std::string& pluginName);

  plugin::PluginRegistry& registry_;
  std::string stateRoot_;
  std::vector<std::string> externalPath_;
};

/// The plugin type a request's config names for `kind` (`type`, or `ipam.type`); empty if none.
std::string pluginType(rkt_kind kind, const std::string& configJson);

}  // namespace rkt::net

#endif  // RKT_CORE_NET_CNI_RUNNER_HPP
