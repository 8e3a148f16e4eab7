#include "macvlan.hpp"

namespace rkt::macvlan {

const cni::LowerLinkType& macvlanType() {
  static const cni::LowerLinkType t{
      "macvlan",
      {"bridge", "private", "vepa", "passthru"},
      false,
      [](cni::Netlink& nl, const std::string& name, int master, const std::string& mode, int mtu,
         const std::string& mac,
         int netnsFd) { nl.addMacvlan(name, master, mode, mtu, mac, netnsFd); }};
  return t;
}

}  // namespace rkt::macvlan
