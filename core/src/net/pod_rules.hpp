// The pod's netfilter rules the core owns (rkt-notes §5.4): the port forwarding of its
// forwarded ports, and the removal at gc of every rule made for the pod (the forwarding and any
// masquerade a net plugin left), found by the pod's UUID without state. Through the internal
// module rkt-netfilter.so, loaded only when a pod has ports or networks to tear down.
#ifndef RKT_CORE_SRC_NET_POD_RULES_HPP
#define RKT_CORE_SRC_NET_POD_RULES_HPP

#include <string>
#include <vector>

#include "rkt/core/net/forwarded_ports.hpp"
#include "rkt/core/result.hpp"

namespace rkt::net {

/// rkt's forwarding of `ports` to `podIp` on `network` (RKT-PFWD-DNAT/SNAT-<uuid8>), with
/// route_localnet on the interfaces holding `hostIp` (the network's host side) so that
/// 127.0.0.1 reaches the pod too.
Status forwardPodPorts(const std::string& uuid, const std::string& network,
                       const std::string& podIp, const std::string& hostIp,
                       const std::vector<ForwardedPort>& ports);

/// Removes every rule made for the pod `uuid`; nothing to remove (or no nf_tables) is success.
Status removePodRules(const std::string& uuid);

}  // namespace rkt::net

#endif  // RKT_CORE_SRC_NET_POD_RULES_HPP
