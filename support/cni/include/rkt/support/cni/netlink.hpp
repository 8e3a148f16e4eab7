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
  /// The interface's index; 0 when it does not exist.
  int linkIndex(const std::string& name);
  std::string linkMac(const std::string& name);
  void linkUp(const std::string& name);
  /// Deletes the interface; false when it did not exist.
  bool deleteLink(const std::string& name);
  void addAddress(int ifindex, const Prefix& address);
  /// The global addresses of the interface.
  std::vector<Prefix> addresses(int ifindex);
  /// Whether an address of `ifindex` is still tentative (IPv6 duplicate address detection).
  bool hasTentativeAddress(int ifindex);
  void addRoute(const RouteSpec& route);
  /// Deletes the kernel's connected route to `dst` on `ifindex`; absent is fine.
  void deleteKernelRoute(const Prefix& dst, int ifindex);
  bool hasRoute(const Prefix& dst, int ifindex);

 private:
  nl_sock* sock_ = nullptr;
};

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_NETLINK_HPP
