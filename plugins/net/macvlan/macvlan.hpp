// net `macvlan`: a macvlan link on a host interface moved into the container and addressed by
// IPAM, as the reference plugin 1.1.1 (cni-notes §2.3, §4.6). Keys: master (default: the
// interface of the default route), mode (bridge, private, vepa, passthru), mtu, mac, ipam
// (`{}`: layer 2 only), dns; MAC also from CNI_ARGS and runtimeConfig.
#ifndef RKT_PLUGINS_NET_MACVLAN_HPP
#define RKT_PLUGINS_NET_MACVLAN_HPP

#include <string>

#include "rkt/sdk/net.hpp"

namespace rkt::macvlan {

class Macvlan : public sdk::Net {
 public:
  explicit Macvlan(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
};

}  // namespace rkt::macvlan

#endif  // RKT_PLUGINS_NET_MACVLAN_HPP
