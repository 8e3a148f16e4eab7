// Runs the CNI operations of in-process net and ipam plugins (rkt/abi/net.h) the way a CNI
// runtime execs plugin binaries: the plugin named by the network's `type` (or `ipam.type`)
// from the registry, the container netns as a descriptor, a state directory per plugin,
// delegation between plugins in-process, and the host's check that the plugin came back to the
// host netns.
#ifndef RKT_CORE_NET_CNI_RUNNER_HPP
#define RKT_CORE_NET_CNI_RUNNER_HPP

#include <string>

#include "rkt/abi/net.h"
#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

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

class CniRunner {
 public:
  /// `stateRoot`: where each plugin's state directory is made (`<stateRoot>/<kind>-<type>`).
  CniRunner(plugin::PluginRegistry& registry, std::string stateRoot);

  /// Runs `command` of the plugin of `kind` the request's config names, with the container
  /// netns `containerNetns` (-1: none). Never throws; a plugin that is missing or refused is
  /// an outcome with CNI code 999 naming it.
  CniOutcome run(rkt_kind kind, rkt_cni_command command, const protocol::cni::Request& request,
                 int containerNetns);

  plugin::PluginRegistry& registry() { return registry_; }
  const std::string& stateRoot() const { return stateRoot_; }

 private:
  plugin::PluginRegistry& registry_;
  std::string stateRoot_;
};

/// The plugin type a request's config names for `kind` (`type`, or `ipam.type`); empty if none.
std::string pluginType(rkt_kind kind, const std::string& configJson);

}  // namespace rkt::net

#endif  // RKT_CORE_NET_CNI_RUNNER_HPP
