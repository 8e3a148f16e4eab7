// What macvlan and ipvlan share (the reference plugins 1.1.1, cni-notes §2.3, §2.4): a link of
// `kind` on a host interface (`master`, default the default route's), created in the host netns
// under a temporary name directly into the container, renamed to CNI_IFNAME there, then
// addressed by IPAM (ipam.ConfigureIface); nothing else on the host. The result names only the
// container interface (ips[].interface 0) and carries the config's `dns`. ipvlan also chains
// on a previous plugin's result (LowerLinkType::chained).
#ifndef RKT_SUPPORT_CNI_LOWER_LINK_HPP
#define RKT_SUPPORT_CNI_LOWER_LINK_HPP

#include <functional>
#include <string>
#include <vector>

#include "rkt/sdk/net.hpp"
#include "rkt/support/cni/attach.hpp"
#include "rkt/support/cni/netlink.hpp"

namespace rkt::cni {

/// One link type: its kind, its modes (the first is the default) and how to create it.
struct LowerLinkType {
  std::string kind;  ///< "macvlan", "ipvlan"
  std::vector<std::string> modes;
  /// ipvlan's chaining: without `master` the single interface of `prevResult`, without an
  /// IPAM type `prevResult`'s addresses; and no layer-2-only mode (IPAM is required then).
  bool chained = false;
  /// Creates the link `name` on `masterIndex` with `mode`, `mtu`, `mac` into `netnsFd`.
  std::function<void(Netlink&, const std::string& name, int masterIndex, const std::string& mode,
                     int mtu, const std::string& mac, int netnsFd)>
      create;
};

struct LowerLinkConfig {
  CommonConfig common;
  std::string master;
  std::string mode;
  int mtu = 0;
};

/// The configuration, checked (master exists, mode known, mtu within the master's).
/// `needMaster`: false on DEL, which must work when the master is gone.
LowerLinkConfig parseLowerLinkConfig(const LowerLinkType& type, const protocol::cni::Request& r,
                                     bool needMaster);

protocol::cni::Result addLowerLink(const LowerLinkType& type, const sdk::NetContext& ctx,
                                   const protocol::cni::Request& r);
/// IPAM DEL, then the container link; what is gone is success.
void delLowerLink(const LowerLinkType& type, const sdk::NetContext& ctx,
                  const protocol::cni::Request& r);
/// The container link's kind, mode and MAC, its addresses and routes.
void checkLowerLink(const LowerLinkType& type, const sdk::NetContext& ctx,
                    const protocol::cni::Request& r);

/// The net plugin of the lower-link type `type()` returns (macvlan, ipvlan).
template <const LowerLinkType& (*type)()>
class LowerLinkNet : public sdk::Net {
 public:
  explicit LowerLinkNet(const std::string& /*config*/) {}
  protocol::cni::Result add(const sdk::NetContext& ctx, const protocol::cni::Request& r) override {
    return addLowerLink(type(), ctx, r);
  }
  void del(const sdk::NetContext& ctx, const protocol::cni::Request& r) override {
    delLowerLink(type(), ctx, r);
  }
  void check(const sdk::NetContext& ctx, const protocol::cni::Request& r) override {
    checkLowerLink(type(), ctx, r);
  }
};

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_LOWER_LINK_HPP
