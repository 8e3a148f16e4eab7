// net `macvlan`: a macvlan link on a host interface moved into the container and addressed by
// IPAM, as the reference plugin 1.1.1 (cni-notes §2.3, §4.6; README.md). Keys: master
// (default: the interface of the default route), mode (bridge, private, vepa, passthru), mtu,
// mac, ipam (`{}`: layer 2 only), dns; MAC also from CNI_ARGS and runtimeConfig.
#ifndef RKT_PLUGINS_NET_MACVLAN_HPP
#define RKT_PLUGINS_NET_MACVLAN_HPP

#include "rkt/support/cni/lower_link.hpp"

namespace rkt::macvlan {

const cni::LowerLinkType& macvlanType();
using Macvlan = cni::LowerLinkNet<&macvlanType>;

}  // namespace rkt::macvlan

#endif  // RKT_PLUGINS_NET_MACVLAN_HPP
