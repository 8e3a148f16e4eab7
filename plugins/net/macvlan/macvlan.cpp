#include "macvlan.hpp"

#include "rkt/support/cni/lower_link.hpp"

namespace rkt::macvlan {

namespace pc = protocol::cni;

namespace {
const cni::LowerLinkType& type() {
  static const cni::LowerLinkType t{
      "macvlan",
      {"bridge", "private", "vepa", "passthru"},
      [](cni::Netlink& nl, const std::string& name, int master, const std::string& mode, int mtu,
         const std::string& mac,
         int netnsFd) { nl.addMacvlan(name, master, mode, mtu, mac, netnsFd); }};
  return t;
}
}  // namespace

pc::Result Macvlan::add(const sdk::NetContext& ctx, const pc::Request& r) {
  return cni::addLowerLink(type(), ctx, r);
}

void Macvlan::del(const sdk::NetContext& ctx, const pc::Request& r) {
  cni::delLowerLink(type(), ctx, r);
}

void Macvlan::check(const sdk::NetContext& ctx, const pc::Request& r) {
  cni::checkLowerLink(type(), ctx, r);
}

}  // namespace rkt::macvlan
