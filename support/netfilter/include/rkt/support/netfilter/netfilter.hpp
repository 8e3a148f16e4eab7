// Pod masquerade (ipMasq) and rkt's port forwarding (`--port`) as native nftables rules,
// through libnftables (docs/networking.md, "Port forwarding and masquerade", says why).
//
// Every rule lives in a table of its own whose name says whom it belongs to, so removal never
// needs state kept elsewhere and also works after a crash (gc):
//   table inet rkt-masq-<hash16(network)>-<containerId>   masquerade of one (network, container)
//   table ip   rkt-pfwd-<containerId>                     the port forwarding of one pod
// Calls change the rules of the calling thread's network namespace and need CAP_NET_ADMIN.
#ifndef RKT_SUPPORT_NETFILTER_NETFILTER_HPP
#define RKT_SUPPORT_NETFILTER_NETFILTER_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "rkt/base/result.hpp"

namespace rkt {
namespace netfilter {

/// Masquerade of one pod's addresses on one network, as the reference ptp/bridge plugins'
/// ipMasq: traffic from each address to anything but its own subnet and multicast leaves with
/// the host's address.
struct MasqueradeSpec {
  std::string network;      ///< the network's name (CNI `name`)
  std::string containerId;  ///< CNI_CONTAINERID (the pod's UUID for rkt)
  /// The pod's addresses with their prefix, as IPAM gave them: "172.16.28.2/24", "fd00::2/64".
  std::vector<std::string> addresses;
};

/// One forwarded port: rkt's `--port=NAME:[HOSTIP:]HOSTPORT` resolved against the app's port.
struct PortMapping {
  std::string protocol = "tcp";  ///< "tcp" or "udp"
  std::string hostIp;            ///< empty or "0.0.0.0": every local address
  uint16_t hostPort = 0;
  uint16_t podPort = 0;
};

/// rkt's port forwarding for one pod: DNAT of local destinations (from outside and from the
/// host itself) to the pod's address, masquerade of what the host sends from 127.0.0.1
/// (localhost access, with route_localnet) and of the pod reaching itself (hairpin).
struct PortForwardSpec {
  std::string containerId;
  std::string network;  ///< the forwardable network (for the rules' comments)
  std::string podIp;    ///< the pod's IPv4 address on that network
  std::vector<PortMapping> ports;
};

/// Whether this kernel has nf_tables (asked through a netlink netfilter socket). libnftables
/// exits the process without it, so every call asks this first: an add fails with a one-line
/// error ("...: this kernel has no nf_tables ..."), a removal succeeds (nothing of ours can
/// exist).
bool available();

/// Adds (or replaces: adding twice leaves one set) the masquerade of spec's addresses.
Status addMasquerade(const MasqueradeSpec& spec);
/// Removes the masquerade of (network, containerId); nothing to remove is success.
Status removeMasquerade(const std::string& network, const std::string& containerId);

/// Adds (or replaces) the port forwarding of spec.containerId.
Status addPortForwarding(const PortForwardSpec& spec);
/// Removes the port forwarding of containerId; nothing to remove is success.
Status removePortForwarding(const std::string& containerId);

/// Removes every table this library made for containerId (all networks' masquerade and the
/// port forwarding), found by name: what gc runs, with no state, after a crash too.
Status removeAllForContainer(const std::string& containerId);

/// Sets net.ipv4.conf.<if>.route_localnet=1 on every interface holding hostIp (as rkt does for
/// the forwardable network's host address), so connections to 127.0.0.1 can be DNATed out to
/// the pod. Returns how many interfaces were set.
Result<int> enableRouteLocalnet(const std::string& hostIp);

}  // namespace netfilter
}  // namespace rkt

#endif  // RKT_SUPPORT_NETFILTER_NETFILTER_HPP
