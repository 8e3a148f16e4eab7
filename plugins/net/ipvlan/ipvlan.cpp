#include "ipvlan.hpp"

namespace rkt::ipvlan {

namespace pc = protocol::cni;

const cni::LowerLinkType& ipvlanType() {
  static const cni::LowerLinkType t{
      "ipvlan",
      {"l2", "l3", "l3s"},
      true,
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

}  // namespace rkt::ipvlan
