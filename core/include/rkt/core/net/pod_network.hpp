// The pod's network, owned by the core (rkt-notes §5): `--net` parsed with rkt's grammar, the
// networks loaded with rkt's rules (built-in `default` and `default-restricted`, then
// `<local config>/net.d/*.conf`), a network namespace bind-mounted at /var/run/netns/cni-<id>
// (path in $POD/netns), CNI ADD of each network in order as eth0, eth1… through the in-process
// plugins (CniRunner), $POD/net-info.json, and teardown (DEL in reverse, netns removed) that
// works after a SIGKILL of the pod or of rkt.
#ifndef RKT_CORE_NET_POD_NETWORK_HPP
#define RKT_CORE_NET_POD_NETWORK_HPP

#include <functional>
#include <string>
#include <vector>

#include "rkt/core/net/forwarded_ports.hpp"
#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::net {

/// What `--net` asked for.
struct NetSelection {
  enum class Mode { kHost, kNone, kContained };
  struct Entry {
    std::string name;
    std::string args;  ///< CNI_ARGS "K=V;K=V"
  };
  Mode mode = Mode::kContained;
  bool all = false;            ///< `all`: every configured network
  std::vector<Entry> entries;  ///< named networks (with `all`: the args of those named too)
};

/// Parses `--net` values (comma-separated `NAME[:ARGS]`; several flags accumulate). Empty or
/// absent: `default`. Errors as rkt: empty name, duplicate name, args on `all`/`host`, `host`
/// or `none` with anything else.
Result<NetSelection> parseNetSelection(const std::vector<std::string>& values);

/// One network of the pod, loaded.
struct LoadedNet {
  std::string name;
  std::string confFile;  ///< basename, the sort key ("99-default.conf")
  std::string confText;  ///< the configuration bytes
  std::string args;
};

/// Loads the networks `selection` names: the built-ins, overridden by `<localConfig>/net.d`
/// (sorted, `*.conf`, first of a name wins in one directory); sorted by file name. Fails on a
/// parse error or a missing name (`networks not found: a, b`). `warn` gets rkt's warnings.
Result<std::vector<LoadedNet>> loadNetworks(const NetSelection& selection,
                                            const std::string& localConfig,
                                            const std::function<void(const std::string&)>& warn);

struct PodNetworkOptions {
  std::string podDir;
  std::string uuid;
  std::string stateRoot;  ///< the plugins' state directories ($DATA/net)
  /// `--local-config`: its net.d is the first directory searched for external CNI binaries.
  std::string localConfig = "/etc/rkt";
  std::string netnsDir = "/var/run/netns";
  std::function<void(const std::string&)> warn;
  /// Forwarded to the pod's address on the forwardable network (the first with ipMasq, else
  /// the last) once every network is up.
  std::vector<ForwardedPort> ports;
  /// Resolv mode other than `default` (any --dns flag): the networks' DNS results are ignored.
  bool ignoreDns = false;
};

/// What the pod's networks gave beyond their interfaces.
struct PodNetworkSetup {
  /// The DNS of the first network whose result has any (rkt: "first wins", later ones warn),
  /// for the pod's resolv.conf; `dnsNetwork` empty when none did (or ignoreDns).
  std::string dnsNetwork;
  protocol::cni::Dns dns;
};

/// Creates the netns, runs ADD of every network (eth0, eth1…), writes $POD/netns, $POD/net/
/// and $POD/net-info.json, forwards the ports. On failure undoes everything it did (port
/// rules removed, DEL in reverse, netns removed).
Result<PodNetworkSetup> setupPodNetwork(plugin::PluginRegistry& registry,
                                        const PodNetworkOptions& options,
                                        const std::vector<LoadedNet>& nets);

/// Releases the pod's networks (its netfilter rules, found by UUID; DEL in reverse of
/// net-info.json, with the netns when it still exists) and removes the netns. Idempotent,
/// also after a SIGKILL of the pod or of rkt at any point; reports problems through `warn`.
void teardownPodNetwork(plugin::PluginRegistry& registry, const PodNetworkOptions& options);

}  // namespace rkt::net

#endif  // RKT_CORE_NET_POD_NETWORK_HPP
