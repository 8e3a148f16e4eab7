// ipam `dhcp`: addresses from a DHCP server on the container's interface, as the reference
// plugin (cni-notes §2.7), without its daemon: ADD starts a keeper process per lease
// (keeper/main.cpp) that lives in the pod's network namespace, renews the lease for the pod's
// life and releases it when DEL (or GC) stops it (README.md, docs/networking.md).
#ifndef RKT_PLUGINS_IPAM_DHCP_HPP
#define RKT_PLUGINS_IPAM_DHCP_HPP

#include <string>

#include "rkt/sdk/ipam.hpp"

namespace rkt::dhcp {

class Dhcp : public sdk::Ipam {
 public:
  explicit Dhcp(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void gc(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
};

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_HPP
