// What the net types that attach one container interface share (bridge, macvlan, ipvlan), as
// the reference plugins' pkg/ipam and pkg/ip do it: the configuration object and the keys every
// type reads, the MAC a runtime may ask for, IPAM delegation, configuring the interface from
// the IPAM result (ipam.ConfigureIface) and CHECK of its addresses and routes.
#ifndef RKT_SUPPORT_CNI_ATTACH_HPP
#define RKT_SUPPORT_CNI_ATTACH_HPP

#include <Poco/JSON/Object.h>

#include <string>

#include "rkt/sdk/cni_plugin.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::cni {

/// The keys every type shares.
struct CommonConfig {
  Poco::JSON::Object::Ptr object;  ///< the whole configuration
  std::string ipamType;            ///< empty: layer 2 only (`"ipam": {}`)
  protocol::cni::Dns dns;          ///< the config's, which 1.1.1 always puts in the result
  std::string mac;  ///< CNI_ARGS MAC, then args.cni.mac (`macFromArgsCni`), runtimeConfig.mac
};

/// Parses the configuration (code 6 when it is not JSON) and the common keys; checks ifname
/// and CNI_ARGS (only IgnoreUnknown and MAC, as the reference: `ARGS: unknown args [...]`).
CommonConfig parseCommonConfig(const protocol::cni::Request& r, bool macFromArgsCni);

/// A value of the config (`what` names it in the error, code 7 when it has the wrong type).
template <class T>
T configValue(const CommonConfig& c, const std::string& key, T fallback) {
  try {
    return c.object->optValue<T>(key, fallback);
  } catch (const Poco::Exception& e) {
    throw protocol::cni::Failure(protocol::cni::kInvalidConfig,
                                 "failed to load netconf: invalid `" + key + "`: " + e.message());
  }
}

/// IPAM ADD through the host, checked as the reference checks it (at least one address).
protocol::cni::Result ipamAdd(const sdk::NetContext& ctx, const protocol::cni::Request& r);

/// Inside the container: the result's addresses for `ifName` (ips[].interface naming it),
/// IPv6 enabled first when needed, the link up, then every result route via its gateway or
/// the result's first gateway of its family (ipam.ConfigureIface; the connected route stays).
void configureIface(const std::string& ifName, const protocol::cni::Result& result);

/// Inside the container: every address of `ips` is on `ifName` and every route of `routes`
/// exists (ip.ValidateExpectedInterfaceIPs / ValidateExpectedRoute).
void checkIface(const std::string& ifName, const protocol::cni::Result& prev);

/// The `prevResult` of a CHECK request (`<type>: Required prevResult missing` without one).
protocol::cni::Result prevResult(const protocol::cni::Request& r);

/// "veth" + 8 random hex digits, the reference's temporary and host-side names.
std::string randomVethName();

/// A failure with the reference's code 999.
[[noreturn]] void fail(const std::string& msg);

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_ATTACH_HPP
