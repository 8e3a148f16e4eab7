// net `ptp`: a veth pair per attachment, the container end addressed by IPAM and routed through
// the host end, as the reference plugin (cni-notes §2.1): the host end holds the gateway as a
// /32 and a host route to the container, the container reaches even its own subnet through the
// gateway. Keys: ipam (required), mtu, ipMasq, dns.
#ifndef RKT_PLUGINS_NET_PTP_HPP
#define RKT_PLUGINS_NET_PTP_HPP

#include <string>

#include "rkt/sdk/net.hpp"

namespace rkt::ptp {

class Ptp : public sdk::Net {
 public:
  explicit Ptp(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override;
};

}  // namespace rkt::ptp

#endif  // RKT_PLUGINS_NET_PTP_HPP
