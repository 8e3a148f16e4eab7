// The rtnetlink operations the in-tree net plugins need, through libnl-route-3 (never `ip`).
// A Netlink object talks to the network namespace the calling thread was in when it was made.
// Routes are added with protocol `boot` and explicit scopes, as the reference plugins' library
// does (cni-notes §2.0), so `ip -d route` shows the same. Errors throw sdk::Error naming the
// object ("cannot add address 10.1.2.3/24 to `eth0`: file exists").
#ifndef RKT_SUPPORT_CNI_NETLINK_HPP
#define RKT_SUPPORT_CNI_NETLINK_HPP

#include <optional>
#include <string>
#include <vector>

#include "rkt/support/cni/ip.hpp"

struct nl_sock;

namespace rkt::cni {

/// What the net plugins read of an interface.
struct LinkInfo {
  int index = 0;
  std::string name;
  std::string kind;  ///< "bridge", "veth", "macvlan"… (empty for a device without one)
  std::string mac;   ///< "aa:bb:…"
  int mtu = 0;
  int master = 0;      ///< ifindex of the bridge it is a port of, 0: none
  int peer = 0;        ///< IFLA_LINK: a veth's peer index (in its netns)
  unsigned flags = 0;  ///< IFF_*
  bool operUp = false;
  std::string mode;  ///< macvlan ("bridge", "private"…) and ipvlan ("l2", "l3", "l3s") modes
};

struct RouteSpec {
  Prefix dst;
  std::optional<Ip> gw;
  std::optional<Ip> src;
  int ifindex = 0;
  unsigned char scope = 0;  ///< RT_SCOPE_*; 0: universe
};

class Netlink {
 public:
  Netlink();
  ~Netlink();
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  /// Creates veth `name` here with its peer `peerName` directly in the namespace `peerNetns`,
  /// both with `mtu` (0: the kernel's). Returns false when a name exists already.
  bool addVeth(const std::string& name, const std::string& peerName, int peerNetns, int mtu);
  /// The interface, nullopt when it does not exist.
  std::optional<LinkInfo> link(const std::string& name);
  std::optional<LinkInfo> link(int index);
  /// Creates bridge `name` (mtu 0: the kernel's; with VLAN filtering when asked); false when
  /// the name exists already.
  bool addBridge(const std::string& name, int mtu, bool vlanFiltering);
  /// How many interfaces have `masterIndex` as their master (a bridge's ports).
  int portCount(int masterIndex);
  void setPromisc(const std::string& name);
  void setMaster(const std::string& name, int masterIndex);
  void setMac(const std::string& name, const std::string& mac);
  void rename(const std::string& from, const std::string& to);
  /// The bridge port's hairpin mode (IFLA_BRPORT_MODE), on or off.
  void setHairpin(int ifindex, bool on);
  /// The port's VLAN `vid` (bridge vlan add … [pvid] [untagged] master).
  void bridgeVlanAdd(int ifindex, int vid, bool pvid, bool untagged);
  /// Creates macvlan (`mode` as rtnl_link_macvlan_str2mode) or ipvlan (`mode` l2/l3/l3s)
  /// `name` on `parentIndex`, moved at once into `netnsFd`; mtu 0 and empty mac: the kernel's.
  /// A kernel without the link kind: sdk::Error RKT_E_UNSUPPORTED.
  void addMacvlan(const std::string& name, int parentIndex, const std::string& mode, int mtu,
                  const std::string& mac, int netnsFd);
  void addIpvlan(const std::string& name, int parentIndex, const std::string& mode, int mtu,
                 int netnsFd);
  void deleteAddress(int ifindex, const Prefix& address);
  /// The interface of the first default route (IPv4, then IPv6); empty when there is none.
  std::string defaultRouteInterface();
  /// The interface's index; 0 when it does not exist.
  int linkIndex(const std::string& name);
  std::string linkMac(const std::string& name);
  void linkUp(const std::string& name);
  /// Deletes the interface; false when it did not exist.
  bool deleteLink(const std::string& name);
  void addAddress(int ifindex, const Prefix& address);
  /// Whether an IPv6 address of the interface is tentative (DAD running) or failed DAD.
  bool hasUnsettledAddress(int ifindex);
  /// The global addresses of the interface.
  std::vector<Prefix> addresses(int ifindex);
  void addRoute(const RouteSpec& route);
  /// Deletes the kernel's connected route to `dst` on `ifindex`; absent is fine.
  void deleteKernelRoute(const Prefix& dst, int ifindex);
  bool hasRoute(const Prefix& dst, int ifindex);

 private:
  nl_sock* sock_ = nullptr;
};

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_NETLINK_HPP
