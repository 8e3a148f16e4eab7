// ipMasq of the ptp and bridge types: the reference rules (a CNI-<hash> chain per network and
// container) as nftables tables of rkt_support_netfilter (docs/networking.md), made in the
// calling thread's (the host's) netns. Failures are CNI failures (code 999).
#ifndef RKT_SUPPORT_CNI_MASQUERADE_HPP
#define RKT_SUPPORT_CNI_MASQUERADE_HPP

#include <string>
#include <vector>

#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::cni {

/// Masquerades `addresses` ("ip/prefix") of the request's container on its network.
void setupIpMasq(const protocol::cni::Request& r, const std::vector<std::string>& addresses);
/// Removes them, found by name (no addresses needed); nothing to remove is success.
void teardownIpMasq(const protocol::cni::Request& r);

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_MASQUERADE_HPP
