// ipam `host-local`: addresses from ranges, leases in files (lease_store.hpp), as the reference
// plugin (cni-notes §2.6): one address per range set, requested addresses first, otherwise
// round robin from after the last reserved one, skipping gateways.
#ifndef RKT_PLUGINS_IPAM_HOST_LOCAL_HPP
#define RKT_PLUGINS_IPAM_HOST_LOCAL_HPP

#include <string>

#include "rkt/sdk/ipam.hpp"

namespace rkt::hostlocal {

class HostLocal : public sdk::Ipam {
 public:
  explicit HostLocal(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void gc(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
};

}  // namespace rkt::hostlocal

#endif  // RKT_PLUGINS_IPAM_HOST_LOCAL_HPP
