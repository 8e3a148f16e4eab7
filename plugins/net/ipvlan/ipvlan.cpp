#include "ipvlan.hpp"

#include "rkt/support/cni/lower_link.hpp"

namespace rkt::ipvlan {

namespace pc = protocol::cni;

namespace {
const cni::LowerLinkType& type() {
  static const cni::LowerLinkType t{
      "ipvlan",
      {"l2", "l3", "l3s"},
      [](cni::Netlink& nl, const std::string& name, int master, const std::string& mode, int mtu,
         const std::string& /*mac: an ipvlan link has its master's*/, int netnsFd) {
        try {
          nl.addIpvlan(name, master, mode, mtu, netnsFd);
        } catch (const sdk::Error& e) {
          if (e.code() == RKT_E_UNSUPPORTED) {
            throw pc::Failure(pc::kInternal,
                              "ipvlan: the kernel has no ipvlan support (CONFIG_IPVLAN, module "
                              "ipvlan)");
          }
          throw;
        }
      }};
  return t;
}
}  // namespace

pc::Result Ipvlan::add(const sdk::NetContext& ctx, const pc::Request& r) {
  return cni::addLowerLink(type(), ctx, r);
}

void Ipvlan::del(const sdk::NetContext& ctx, const pc::Request& r) {
  cni::delLowerLink(type(), ctx, r);
}

void Ipvlan::check(const sdk::NetContext& ctx, const pc::Request& r) {
  cni::checkLowerLink(type(), ctx, r);
}

}  // namespace rkt::ipvlan
