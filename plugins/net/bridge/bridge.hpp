// net `bridge`: a veth pair per attachment, its host end a port of a Linux bridge on the host,
// the container end addressed by IPAM, as the reference plugin 1.1.1 (cni-notes §2.2, §4.3).
// Keys: bridge, mtu, promiscMode, hairpinMode, vlan, isGateway, isDefaultGateway,
// forceAddress, ipMasq, enabledad, ipam (`{}`: layer 2 only), dns, MAC from args/runtimeConfig.
#ifndef RKT_PLUGINS_NET_BRIDGE_HPP
#define RKT_PLUGINS_NET_BRIDGE_HPP

#include <string>

#include "rkt/sdk/net.hpp"

namespace rkt::bridge {

class Bridge : public sdk::Net {
 public:
  explicit Bridge(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
};

}  // namespace rkt::bridge

#endif  // RKT_PLUGINS_NET_BRIDGE_HPP
