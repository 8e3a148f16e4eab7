#include "net/pod_rules.hpp"

#include "net/netfilter_module.hpp"
#include "util/internal_module.hpp"

namespace rkt::net {
namespace {

Result<const detail::NetfilterModule*> module() {
  return util::internalModuleTable<detail::NetfilterModule>(detail::kNetfilterModule,
                                                            detail::kNetfilterModuleEntry);
}

}  // namespace

Status forwardPodPorts(const std::string& uuid, const std::string& network,
                       const std::string& podIp, const std::string& hostIp,
                       const std::vector<ForwardedPort>& ports) {
  if (ports.empty())
    return {};
  if (podIp.empty())
    return Error{"cannot forward ports: network \"" + network + "\" gave the pod no IPv4 address"};
  Result<const detail::NetfilterModule*> m = module();
  if (!m)
    return m.error();
  netfilter::PortForwardSpec spec;
  spec.containerId = uuid;
  spec.network = network;
  spec.podIp = podIp;
  for (const ForwardedPort& p : ports) {
    spec.ports.push_back({p.protocol, p.hostIp, static_cast<std::uint16_t>(p.hostPort),
                          static_cast<std::uint16_t>(p.podPort)});
  }
  if (!hostIp.empty()) {
    if (Result<int> n = (*m)->enableRouteLocalnet(hostIp); !n)
      return n.error();
  }
  return (*m)->addPortForwarding(spec);
}

Status removePodRules(const std::string& uuid) {
  Result<const detail::NetfilterModule*> m = module();
  if (!m)
    return m.error();
  return (*m)->removeAllForContainer(uuid);
}

}  // namespace rkt::net
