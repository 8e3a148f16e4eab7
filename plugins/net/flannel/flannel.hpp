// net `flannel`: the meta plugin of a flannel overlay (cni-notes §2.5). It reads the subnet
// flanneld leased to this host (subnet.env), builds the configuration of a delegate network
// (bridge unless `delegate.type` says otherwise, host-local addresses from that subnet, routes
// to the flannel network), keeps it in dataDir/<container id> for DEL, and runs the delegate
// in-process through the host (rkt_net_context.delegate).
#ifndef RKT_PLUGINS_NET_FLANNEL_HPP
#define RKT_PLUGINS_NET_FLANNEL_HPP

#include <string>

#include "rkt/sdk/net.hpp"

namespace rkt::flannel {

class Flannel : public sdk::Net {
 public:
  explicit Flannel(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  /// A no-op, as the reference's.
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
};

}  // namespace rkt::flannel

#endif  // RKT_PLUGINS_NET_FLANNEL_HPP
