// The configuration of host-local (CNI's `ipam` object of type host-local, plus the requested
// addresses of CNI_ARGS, args.cni.ips and runtimeConfig), checked as a whole before anything is
// allocated. Messages and defaults are the reference plugin's (cni-notes §2.6).
#ifndef RKT_PLUGINS_IPAM_HOST_LOCAL_CONFIG_HPP
#define RKT_PLUGINS_IPAM_HOST_LOCAL_CONFIG_HPP

#include <string>
#include <vector>

#include "rkt/sdk/protocol/cni.hpp"
#include "rkt/support/cni/ip.hpp"

namespace rkt::hostlocal {

/// One range of a range set, defaults filled in.
struct Range {
  cni::Prefix subnet;  ///< network address, no host bits
  cni::Ip rangeStart;
  cni::Ip rangeEnd;
  cni::Ip gateway;
  bool contains(const cni::Ip& ip) const;
  std::string str() const { return rangeStart.str() + "-" + rangeEnd.str(); }
};

/// The ranges one address is taken from.
struct RangeSet {
  std::vector<Range> ranges;
  const Range* find(const cni::Ip& ip) const;
  std::string str() const;
};

struct Config {
  std::string network;  ///< the network's name: the store's directory
  std::string dataDir = "/var/lib/cni/networks";
  std::vector<RangeSet> rangeSets;
  std::vector<protocol::cni::Route> routes;
  protocol::cni::Dns dns;
  std::vector<cni::Ip> requested;  ///< CNI_ARGS IP, args.cni.ips, runtimeConfig.ips
};

/// Reads and checks the whole request. Throws protocol::cni::Failure.
Config parseConfig(const protocol::cni::Request& request);

/// resolv.conf text as CNI DNS (nameserver, domain, search, options).
protocol::cni::Dns parseResolvConf(const std::string& text);

}  // namespace rkt::hostlocal

#endif  // RKT_PLUGINS_IPAM_HOST_LOCAL_CONFIG_HPP
