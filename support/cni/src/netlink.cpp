#include "rkt/support/cni/netlink.hpp"

#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "rkt/sdk/error.hpp"

namespace rkt::cni {

namespace {

// Owners of libnl objects (each has its own put/free).
struct LinkPut {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
struct AddrPut {
  void operator()(rtnl_addr* a) const { rtnl_addr_put(a); }
};
struct RoutePut {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct NlAddrPut {
  void operator()(nl_addr* a) const { nl_addr_put(a); }
};
struct CachePut {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
struct MsgPut {
  void operator()(nl_msg* m) const { nlmsg_free(m); }
};
using MsgPtr = std::unique_ptr<nl_msg, MsgPut>;
using LinkPtr = std::unique_ptr<rtnl_link, LinkPut>;
using AddrPtr = std::unique_ptr<rtnl_addr, AddrPut>;
using RoutePtr = std::unique_ptr<rtnl_route, RoutePut>;
using NlAddrPtr = std::unique_ptr<nl_addr, NlAddrPut>;
using CachePtr = std::unique_ptr<nl_cache, CachePut>;

[[noreturn]] void fail(const std::string& what, int nlErr) {
  throw sdk::Error(RKT_E_IO, what + ": " + nl_geterror(nlErr));
}

NlAddrPtr toNl(const Ip& ip, int prefix) {
  NlAddrPtr a(nl_addr_build(ip.family, ip.bytes.data(), ip.size()));
  if (!a) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot build netlink address " + ip.str());
  }
  nl_addr_set_prefixlen(a.get(), prefix);
  return a;
}

std::optional<Ip> fromNl(nl_addr* a) {
  if (a == nullptr) {
    return std::nullopt;
  }
  Ip ip;
  ip.family = nl_addr_get_family(a);
  if ((ip.family != AF_INET && ip.family != AF_INET6) || nl_addr_get_len(a) != ip.size()) {
    return std::nullopt;
  }
  std::memcpy(ip.bytes.data(), nl_addr_get_binary_addr(a), ip.size());
  return ip;
}

}  // namespace

Netlink::Netlink() : sock_(nl_socket_alloc()) {
  if (sock_ == nullptr) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot allocate a netlink socket");
  }
  if (int err = nl_connect(sock_, NETLINK_ROUTE); err < 0) {
    nl_socket_free(sock_);
    sock_ = nullptr;
    fail("cannot open a netlink socket", err);
  }
}

Netlink::~Netlink() {
  if (sock_ != nullptr) {
    nl_socket_free(sock_);
  }
}

bool Netlink::addVeth(const std::string& name, const std::string& peerName, int peerNetns,
                      int mtu) {
  LinkPtr link(rtnl_link_veth_alloc());
  if (!link) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot allocate a veth link");
  }
  LinkPtr peer(rtnl_link_veth_get_peer(link.get()));
  rtnl_link_set_name(link.get(), name.c_str());
  rtnl_link_set_name(peer.get(), peerName.c_str());
  rtnl_link_set_ns_fd(peer.get(), peerNetns);
  // txqlen 0 on both ends, as the reference plugins' netlink library sends it (the
  // conformance harness compares it; the kernel's default would be 1000).
  rtnl_link_set_txqlen(link.get(), 0);
  rtnl_link_set_txqlen(peer.get(), 0);
  if (mtu > 0) {
    rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
    rtnl_link_set_mtu(peer.get(), static_cast<unsigned>(mtu));
  }
  // (libnl cannot create the peer up: flags on the peer fail the request.)
  const int err = rtnl_link_add(sock_, link.get(), NLM_F_CREATE | NLM_F_EXCL);
  if (err == -NLE_EXIST) {
    return false;
  }
  if (err < 0) {
    fail("cannot create veth pair `" + name + "`/`" + peerName + "`", err);
  }
  return true;
}

namespace {
LinkInfo describe(rtnl_link* l) {
  LinkInfo info;
  info.index = rtnl_link_get_ifindex(l);
  if (const char* name = rtnl_link_get_name(l)) {
    info.name = name;
  }
  if (const char* kind = rtnl_link_get_type(l)) {
    info.kind = kind;
  }
  char buf[64] = {};
  if (nl_addr* a = rtnl_link_get_addr(l)) {
    nl_addr2str(a, buf, sizeof buf);
    info.mac = buf;
  }
  info.mtu = static_cast<int>(rtnl_link_get_mtu(l));
  info.master = rtnl_link_get_master(l);
  info.peer = rtnl_link_get_link(l);
  info.flags = rtnl_link_get_flags(l);
  info.operUp = rtnl_link_get_operstate(l) == IF_OPER_UP;
  char mode[32] = {};
  if (info.kind == "macvlan") {
    rtnl_link_macvlan_mode2str(static_cast<int>(rtnl_link_macvlan_get_mode(l)), mode, sizeof mode);
  } else if (uint16_t m = 0; info.kind == "ipvlan" && rtnl_link_ipvlan_get_mode(l, &m) == 0) {
    rtnl_link_ipvlan_mode2str(m, mode, sizeof mode);
  }
  info.mode = mode;
  return info;
}

LinkPtr getLink(nl_sock* sock, const std::string& name) {
  rtnl_link* raw = nullptr;
  if (int err = rtnl_link_get_kernel(sock, 0, name.c_str(), &raw); err < 0) {
    fail("cannot find interface `" + name + "`", err);
  }
  return LinkPtr(raw);
}

// Applies `change` (a fresh rtnl_link with only what changes set) to interface `name`.
void changeLink(nl_sock* sock, const std::string& name, rtnl_link* change,
                const std::string& what) {
  LinkPtr link = getLink(sock, name);
  if (int err = rtnl_link_change(sock, link.get(), change, 0); err < 0) {
    fail("cannot " + what + " of `" + name + "`", err);
  }
}

MsgPtr newMessage(int type, int flags) {
  MsgPtr msg(nlmsg_alloc_simple(type, NLM_F_REQUEST | NLM_F_ACK | flags));
  if (!msg) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot allocate a netlink message");
  }
  return msg;
}

// Sends `msg` and waits for the kernel's answer (negative libnl error on failure).
int sendSync(nl_sock* sock, MsgPtr msg) {
  return nl_send_sync(sock, msg.release());  // frees the message
}
}  // namespace

std::optional<LinkInfo> Netlink::link(const std::string& name) {
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw) < 0) {
    return std::nullopt;
  }
  LinkPtr l(raw);
  return describe(l.get());
}

std::optional<LinkInfo> Netlink::link(int index) {
  rtnl_link* raw = nullptr;
  if (index <= 0 || rtnl_link_get_kernel(sock_, index, nullptr, &raw) < 0) {
    return std::nullopt;
  }
  LinkPtr l(raw);
  return describe(l.get());
}

bool Netlink::addBridge(const std::string& name, int mtu, bool vlanFiltering) {
  // By hand: libnl 3.7 has no IFLA_BR_VLAN_FILTERING.
  MsgPtr msg = newMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  bool ok = nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO) == 0 &&
            nla_put_string(msg.get(), IFLA_IFNAME, name.c_str()) == 0 &&
            (mtu <= 0 || nla_put_u32(msg.get(), IFLA_MTU, static_cast<uint32_t>(mtu)) == 0);
  nlattr* info = ok ? nla_nest_start(msg.get(), IFLA_LINKINFO) : nullptr;
  ok = info != nullptr && nla_put_string(msg.get(), IFLA_INFO_KIND, "bridge") == 0;
  if (ok && vlanFiltering) {
    nlattr* data = nla_nest_start(msg.get(), IFLA_INFO_DATA);
    ok = data != nullptr && nla_put_u8(msg.get(), IFLA_BR_VLAN_FILTERING, 1) == 0;
    if (ok) {
      nla_nest_end(msg.get(), data);
    }
  }
  if (!ok) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot build the netlink request for bridge `" + name + "`");
  }
  nla_nest_end(msg.get(), info);
  const int err = sendSync(sock_, std::move(msg));
  if (err == -NLE_EXIST) {
    return false;
  }
  if (err < 0) {
    fail("cannot create bridge `" + name + "`", err);
  }
  return true;
}

int Netlink::portCount(int masterIndex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_link_alloc_cache(sock_, AF_UNSPEC, &raw); err < 0) {
    fail("cannot list interfaces", err);
  }
  CachePtr cache(raw);
  int count = 0;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    count += rtnl_link_get_master(reinterpret_cast<rtnl_link*>(o)) == masterIndex ? 1 : 0;
  }
  return count;
}

void Netlink::setPromisc(const std::string& name) {
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_flags(change.get(), IFF_PROMISC);
  changeLink(sock_, name, change.get(), "set promiscuous mode");
}

void Netlink::setMaster(const std::string& name, int masterIndex) {
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_master(change.get(), masterIndex);
  changeLink(sock_, name, change.get(), "set the master");
}

void Netlink::setMac(const std::string& name, const std::string& mac) {
  nl_addr* raw = nullptr;
  if (nl_addr_parse(mac.c_str(), AF_LLC, &raw) < 0) {
    throw sdk::Error(RKT_E_INVALID, "invalid MAC address `" + mac + "`");
  }
  NlAddrPtr addr(raw);
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_addr(change.get(), addr.get());
  changeLink(sock_, name, change.get(), "set the MAC address");
}

void Netlink::rename(const std::string& from, const std::string& to) {
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_name(change.get(), to.c_str());
  changeLink(sock_, from, change.get(), "rename to `" + to + "`");
}

void Netlink::setHairpin(int ifindex, bool on) {
  // RTM_SETLINK of family AF_BRIDGE with IFLA_PROTINFO: what `bridge link set hairpin` sends.
  MsgPtr msg = newMessage(RTM_SETLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_BRIDGE;
  ifi.ifi_index = ifindex;
  bool ok = nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO) == 0;
  nlattr* prot = ok ? nla_nest_start(msg.get(), IFLA_PROTINFO | NLA_F_NESTED) : nullptr;
  ok = prot != nullptr && nla_put_u8(msg.get(), IFLA_BRPORT_MODE, on ? 1 : 0) == 0;
  if (!ok) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot build the netlink hairpin request");
  }
  nla_nest_end(msg.get(), prot);
  if (int err = sendSync(sock_, std::move(msg)); err < 0) {
    fail("cannot set the hairpin mode of interface " + std::to_string(ifindex), err);
  }
}

void Netlink::bridgeVlanAdd(int ifindex, int vid, bool pvid, bool untagged) {
  MsgPtr msg = newMessage(RTM_SETLINK, 0);
  ifinfomsg ifi{};
  ifi.ifi_family = AF_BRIDGE;
  ifi.ifi_index = ifindex;
  bridge_vlan_info vinfo{};
  vinfo.vid = static_cast<uint16_t>(vid);
  vinfo.flags = static_cast<uint16_t>((pvid ? BRIDGE_VLAN_INFO_PVID : 0) |
                                      (untagged ? BRIDGE_VLAN_INFO_UNTAGGED : 0));
  bool ok = nlmsg_append(msg.get(), &ifi, sizeof ifi, NLMSG_ALIGNTO) == 0;
  nlattr* spec = ok ? nla_nest_start(msg.get(), IFLA_AF_SPEC) : nullptr;
  ok = spec != nullptr && nla_put_u16(msg.get(), IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_MASTER) == 0 &&
       nla_put(msg.get(), IFLA_BRIDGE_VLAN_INFO, sizeof vinfo, &vinfo) == 0;
  if (!ok) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot build the netlink vlan request");
  }
  nla_nest_end(msg.get(), spec);
  if (int err = sendSync(sock_, std::move(msg)); err < 0) {
    fail("cannot add vlan " + std::to_string(vid) + " to interface " + std::to_string(ifindex),
         err);
  }
}

namespace {
void addLowerLink(nl_sock* sock, rtnl_link* link, const std::string& name, int parentIndex, int mtu,
                  int netnsFd, const std::string& what) {
  rtnl_link_set_name(link, name.c_str());
  rtnl_link_set_link(link, parentIndex);
  rtnl_link_set_ns_fd(link, netnsFd);
  rtnl_link_set_txqlen(link, 0);  // as the reference's netlink library sends it (conformance)
  if (mtu > 0) {
    rtnl_link_set_mtu(link, static_cast<unsigned>(mtu));
  }
  if (int err = rtnl_link_add(sock, link, NLM_F_CREATE | NLM_F_EXCL); err == -NLE_OPNOTSUPP) {
    // What the kernel answers for a link kind it does not know.
    throw sdk::Error(RKT_E_UNSUPPORTED, "failed to create " + what + ": operation not supported");
  } else if (err < 0) {
    fail("failed to create " + what, err);
  }
}
}  // namespace

void Netlink::addMacvlan(const std::string& name, int parentIndex, const std::string& mode, int mtu,
                         const std::string& mac, int netnsFd) {
  LinkPtr link(rtnl_link_macvlan_alloc());
  if (!link) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot allocate a macvlan link");
  }
  rtnl_link_macvlan_set_mode(link.get(),
                             static_cast<uint32_t>(rtnl_link_macvlan_str2mode(mode.c_str())));
  NlAddrPtr addr;
  if (!mac.empty()) {
    nl_addr* raw = nullptr;
    if (nl_addr_parse(mac.c_str(), AF_LLC, &raw) < 0) {
      throw sdk::Error(RKT_E_INVALID, "invalid MAC address `" + mac + "`");
    }
    addr.reset(raw);
    rtnl_link_set_addr(link.get(), addr.get());
  }
  addLowerLink(sock_, link.get(), name, parentIndex, mtu, netnsFd, "macvlan");
}

void Netlink::addIpvlan(const std::string& name, int parentIndex, const std::string& mode, int mtu,
                        int netnsFd) {
  LinkPtr link(rtnl_link_ipvlan_alloc());
  if (!link) {
    throw sdk::Error(RKT_E_INTERNAL, "cannot allocate an ipvlan link");
  }
  rtnl_link_ipvlan_set_mode(link.get(),
                            static_cast<uint16_t>(rtnl_link_ipvlan_str2mode(mode.c_str())));
  addLowerLink(sock_, link.get(), name, parentIndex, mtu, netnsFd, "ipvlan");
}

void Netlink::deleteAddress(int ifindex, const Prefix& address) {
  AddrPtr addr(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  NlAddrPtr local = toNl(address.ip, address.length);
  rtnl_addr_set_local(addr.get(), local.get());
  if (int err = rtnl_addr_delete(sock_, addr.get(), 0); err < 0) {
    fail("cannot remove address " + address.str() + " from interface " + std::to_string(ifindex),
         err);
  }
}

std::string Netlink::defaultRouteInterface() {
  for (int family : {AF_INET, AF_INET6}) {
    nl_cache* raw = nullptr;
    if (int err = rtnl_route_alloc_cache(sock_, family, 0, &raw); err < 0) {
      fail("cannot list routes", err);
    }
    CachePtr cache(raw);
    for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
      auto* r = reinterpret_cast<rtnl_route*>(o);
      if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_nnexthops(r) < 1 ||
          nl_addr_get_prefixlen(rtnl_route_get_dst(r)) != 0) {
        continue;
      }
      if (auto l = link(rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0)))) {
        return l->name;
      }
    }
  }
  return "";
}

int Netlink::linkIndex(const std::string& name) {
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw) < 0) {
    return 0;
  }
  LinkPtr link(raw);
  return rtnl_link_get_ifindex(link.get());
}

std::string Netlink::linkMac(const std::string& name) {
  rtnl_link* raw = nullptr;
  if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw); err < 0) {
    fail("cannot find interface `" + name + "`", err);
  }
  LinkPtr link(raw);
  char buf[64] = {};
  nl_addr2str(rtnl_link_get_addr(link.get()), buf, sizeof buf);
  return buf;
}

void Netlink::linkUp(const std::string& name) {
  rtnl_link* raw = nullptr;
  if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw); err < 0) {
    fail("cannot find interface `" + name + "`", err);
  }
  LinkPtr link(raw);
  LinkPtr change(rtnl_link_alloc());
  rtnl_link_set_flags(change.get(), IFF_UP);
  if (int err = rtnl_link_change(sock_, link.get(), change.get(), 0); err < 0) {
    fail("cannot set `" + name + "` up", err);
  }
}

bool Netlink::deleteLink(const std::string& name) {
  LinkPtr link(rtnl_link_alloc());
  rtnl_link_set_name(link.get(), name.c_str());
  const int err = rtnl_link_delete(sock_, link.get());
  if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND) {
    return false;
  }
  if (err < 0) {
    fail("cannot delete interface `" + name + "`", err);
  }
  return true;
}

void Netlink::addAddress(int ifindex, const Prefix& address) {
  AddrPtr addr(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(addr.get(), ifindex);
  NlAddrPtr local = toNl(address.ip, address.length);
  rtnl_addr_set_local(addr.get(), local.get());
  if (address.ip.family == AF_INET && address.length < 31) {
    NlAddrPtr brd = toNl(address.last(), address.length);
    rtnl_addr_set_broadcast(addr.get(), brd.get());
  }
  if (int err = rtnl_addr_add(sock_, addr.get(), 0); err < 0) {
    fail("cannot add address " + address.str() + " to interface " + std::to_string(ifindex), err);
  }
}

bool Netlink::hasUnsettledAddress(int ifindex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock_, &raw); err < 0) {
    fail("cannot list addresses", err);
  }
  CachePtr cache(raw);
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (rtnl_addr_get_ifindex(a) == ifindex && rtnl_addr_get_family(a) == AF_INET6 &&
        (rtnl_addr_get_flags(a) & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) != 0) {
      return true;
    }
  }
  return false;
}

std::vector<Prefix> Netlink::addresses(int ifindex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_addr_alloc_cache(sock_, &raw); err < 0) {
    fail("cannot list addresses", err);
  }
  CachePtr cache(raw);
  std::vector<Prefix> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE) {
      continue;
    }
    if (auto ip = fromNl(rtnl_addr_get_local(a))) {
      out.push_back({*ip, rtnl_addr_get_prefixlen(a)});
    }
  }
  return out;
}

namespace {
RoutePtr routeObject(const Prefix& dst, int ifindex, std::optional<Ip> gw) {
  RoutePtr route(rtnl_route_alloc());
  rtnl_route_set_family(route.get(), static_cast<uint8_t>(dst.ip.family));
  NlAddrPtr d = toNl(dst.network(), dst.length);
  rtnl_route_set_dst(route.get(), d.get());
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_nexthop* nh = rtnl_route_nh_alloc();
  rtnl_route_nh_set_ifindex(nh, ifindex);
  if (gw) {
    NlAddrPtr g = toNl(*gw, gw->bits());
    rtnl_route_nh_set_gateway(nh, g.get());
  }
  rtnl_route_add_nexthop(route.get(), nh);  // the route owns it now
  return route;
}
}  // namespace

void Netlink::addRoute(const RouteSpec& spec) {
  RoutePtr route = routeObject(spec.dst, spec.ifindex, spec.gw);
  rtnl_route_set_protocol(route.get(), RTPROT_BOOT);
  rtnl_route_set_scope(route.get(), spec.scope);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  if (spec.src) {
    NlAddrPtr s = toNl(*spec.src, spec.src->bits());
    rtnl_route_set_pref_src(route.get(), s.get());
  }
  if (int err = rtnl_route_add(sock_, route.get(), NLM_F_EXCL); err < 0) {
    fail("cannot add route to " + spec.dst.str(), err);
  }
}

void Netlink::deleteKernelRoute(const Prefix& dst, int ifindex) {
  RoutePtr route = routeObject(dst, ifindex, std::nullopt);
  rtnl_route_set_protocol(route.get(), RTPROT_KERNEL);
  rtnl_route_set_scope(route.get(), RT_SCOPE_LINK);
  const int err = rtnl_route_delete(sock_, route.get(), 0);
  if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NOADDR) {
    fail("cannot delete route to " + dst.str(), err);
  }
}

bool Netlink::hasRoute(const Prefix& dst, int ifindex) {
  nl_cache* raw = nullptr;
  if (int err = rtnl_route_alloc_cache(sock_, dst.ip.family, 0, &raw); err < 0) {
    fail("cannot list routes", err);
  }
  CachePtr cache(raw);
  for (nl_object* o = nl_cache_get_first(cache.get()); o != nullptr; o = nl_cache_get_next(o)) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    auto d = fromNl(rtnl_route_get_dst(r));
    const int len = static_cast<int>(nl_addr_get_prefixlen(rtnl_route_get_dst(r)));
    if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_nnexthops(r) < 1) {
      continue;
    }
    const bool dstMatches = d ? (*d == dst.network() && len == dst.length)
                              : dst.length == 0;  // the default route has no dst address
    if (dstMatches && rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0)) == ifindex) {
      return true;
    }
  }
  return false;
}

}  // namespace rkt::cni
