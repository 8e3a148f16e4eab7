// What flannel hands to its delegate: subnet.env (written by flanneld) read, and the delegate's
// network configuration built from it and flannel's own, as the reference meta plugin
// (flannel-io/cni-plugin; cni-notes §2.5). Pure functions of text, so they are unit tested.
#ifndef RKT_PLUGINS_NET_FLANNEL_DELEGATE_CONF_HPP
#define RKT_PLUGINS_NET_FLANNEL_DELEGATE_CONF_HPP

#include <optional>
#include <string>
#include <vector>

namespace rkt::flannel {

/// subnet.env's keys. Networks and subnets are kept as prefixes with host bits cleared
/// (FLANNEL_SUBNET=10.1.17.1/24 is 10.1.17.0/24, as Go's ParseCIDR gives the reference).
struct SubnetEnv {
  std::vector<std::string> networks;      ///< FLANNEL_NETWORK (comma-separated list)
  std::string subnet;                     ///< FLANNEL_SUBNET
  std::vector<std::string> ipv6Networks;  ///< FLANNEL_IPV6_NETWORK
  std::string ipv6Subnet;                 ///< FLANNEL_IPV6_SUBNET
  std::optional<unsigned> mtu;            ///< FLANNEL_MTU
  std::optional<bool> ipMasq;             ///< FLANNEL_IPMASQ (true only when `true`)
};

/// Parses the text of `path` (named in messages). Throws protocol::cni::Failure:
/// "<path> is missing FLANNEL_MTU, …" and the like.
SubnetEnv parseSubnetEnv(const std::string& text, const std::string& path);

/// flannel's own keys (defaults as the reference).
struct FlannelConf {
  std::string subnetFile = "/run/flannel/subnet.env";
  std::string dataDir = "/var/lib/cni/flannel";
};

/// Reads subnetFile and dataDir of flannel's configuration, and checks `delegate` (an object
/// with a string `type`, without `name` and `ipam`). Throws protocol::cni::Failure.
FlannelConf parseFlannelConf(const std::string& configJson);

/// The delegate's configuration (JSON, keys sorted as the reference's Go maps): `delegate`
/// with name, type (bridge), ipMasq (!FLANNEL_IPMASQ), mtu (FLANNEL_MTU), isGateway (bridge),
/// cniVersion, runtimeConfig, and ipam (flannel's `ipam` with type host-local, ranges of the
/// subnets, and its routes followed by one to each flannel network).
std::string buildDelegateConf(const std::string& configJson, const std::string& runtimeConfigJson,
                              const SubnetEnv& env);

}  // namespace rkt::flannel

#endif  // RKT_PLUGINS_NET_FLANNEL_DELEGATE_CONF_HPP
