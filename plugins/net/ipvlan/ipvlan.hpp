// net `ipvlan`: an ipvlan link on a host interface moved into the container and addressed by
// IPAM, as the reference plugin 1.1.1 (cni-notes §2.4; README.md). Keys: master (default: a
// chained prevResult's single interface, else the default route's), mode (l2, l3, l3s), mtu,
// ipam (chained without one: prevResult's addresses), dns. A kernel without ipvlan gets one
// clear error naming the missing support.
#ifndef RKT_PLUGINS_NET_IPVLAN_HPP
#define RKT_PLUGINS_NET_IPVLAN_HPP

#include "rkt/support/cni/lower_link.hpp"

namespace rkt::ipvlan {

const cni::LowerLinkType& ipvlanType();
using Ipvlan = cni::LowerLinkNet<&ipvlanType>;

}  // namespace rkt::ipvlan

#endif  // RKT_PLUGINS_NET_IPVLAN_HPP
