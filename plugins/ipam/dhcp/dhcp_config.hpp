// The dhcp IPAM configuration (the reference's keys, cni-notes §2.7) and what a lease is known
// by: the client id `<container id>/<network>/<ifname>` (at most 254 bytes, sent as option 61
// with type 0) and the state file of its keeper.
#ifndef RKT_PLUGINS_IPAM_DHCP_CONFIG_HPP
#define RKT_PLUGINS_IPAM_DHCP_CONFIG_HPP

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dhcp_message.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::dhcp {

struct Config {
  std::string clientId;
  std::string network;
  std::string containerId;
  std::string ifName;
  /// Option codes asked for in option 55: routers and subnet mask unless a `request` entry
  /// says `skipDefault`, then every `request` option.
  std::vector<std::uint8_t> request;
  /// `provide`: option values sent in every DISCOVER and REQUEST (`value`, or `fromArg`: a
  /// CNI_ARGS key).
  std::map<std::uint8_t, Bytes> provide;
  int timeoutSeconds = 10;    ///< one exchange (the reference daemon's -timeout)
  int resendMaxSeconds = 62;  ///< the longest back-off between tries (-resendmax)
};

/// Parses and checks the request (ipam keys, names). Throws protocol::cni::Failure.
Config parseConfig(const protocol::cni::Request& r);

/// The option code of a name the reference knows (`routers`, `subnet-mask`, `host-name`,
/// `dhcp-client-identifier`, `user-class`, `vendor-class-identifier`) or a number 0-255.
std::uint8_t optionCode(const std::string& nameOrNumber);

/// `<network>/<container id>+<ifname>.json` under the plugin's state directory: names that
/// CNI allows never contain `/` or `+`, so distinct leases never share a file.
std::string stateFileName(const Config& c);

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_CONFIG_HPP
