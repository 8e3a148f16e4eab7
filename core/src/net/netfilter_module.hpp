// The function table of the internal module rkt-netfilter.so (core/modules/netfilter), shared
// by the module and its loader (core/src/net/pod_rules.cpp). Both are built together.
#ifndef RKT_CORE_SRC_NET_NETFILTER_MODULE_HPP
#define RKT_CORE_SRC_NET_NETFILTER_MODULE_HPP

#include <string>

#include "rkt/core/result.hpp"
#include "rkt/support/netfilter/netfilter.hpp"

namespace rkt::net::detail {

inline constexpr char kNetfilterModule[] = "rkt-netfilter.so";
inline constexpr char kNetfilterModuleEntry[] = "rkt_internal_netfilter_v1";

struct NetfilterModule {
  bool (*available)() = nullptr;
  Status (*addPortForwarding)(const netfilter::PortForwardSpec& spec) = nullptr;
  Status (*removeAllForContainer)(const std::string& containerId) = nullptr;
  Result<int> (*enableRouteLocalnet)(const std::string& hostIp) = nullptr;
};

}  // namespace rkt::net::detail

#endif  // RKT_CORE_SRC_NET_NETFILTER_MODULE_HPP
