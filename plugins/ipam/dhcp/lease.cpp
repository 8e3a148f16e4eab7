#include "lease.hpp"

#include <fstream>
#include <sstream>

namespace rkt::dhcp {

namespace pc = protocol::cni;

Lease Lease::fromAck(const Message& ack) {
  Lease l;
  l.ack = ack;
  l.address = ack.yiaddr;
  l.serverId = ipOf(ack.option(kOptServerId)).value_or(ack.siaddr);
  const auto mask = ipOf(ack.option(kOptSubnetMask));
  if (!mask || !maskLength(*mask)) {
    throw pc::Failure(pc::kInternal, "DHCP option Subnet Mask not found in DHCPACK");
  }
  l.leaseSeconds = u32Of(ack.option(kOptLeaseTime)).value_or(3600);
  l.rebindSeconds = u32Of(ack.option(kOptRebindingTime)).value_or(0);
  if (l.rebindSeconds == 0 || l.rebindSeconds > l.leaseSeconds) {
    l.rebindSeconds = static_cast<std::uint32_t>(std::uint64_t{l.leaseSeconds} * 85 / 100);
  }
  l.renewSeconds = u32Of(ack.option(kOptRenewalTime)).value_or(0);
  if (l.renewSeconds == 0 || l.renewSeconds > l.rebindSeconds) {
    l.renewSeconds = l.leaseSeconds / 2;
  }
  return l;
}

pc::Result Lease::result(const std::string& cniVersion) const {
  pc::Result r;
  r.cniVersion = cniVersion;
  pc::IpConfig ip;
  ip.address =
      ipText(address) + "/" + std::to_string(*maskLength(*ipOf(ack.option(kOptSubnetMask))));
  const auto router = ack.option(kOptRouter) != nullptr && ack.option(kOptRouter)->size() >= 4
                          ? ipOf(ack.option(kOptRouter))
                          : std::nullopt;
  if (router) {
    ip.gateway = ipText(*router);
  }
  r.ips.push_back(ip);
  if (const Bytes* classless = ack.option(kOptClasslessRoutes)) {
    for (const RouteOption& route : classlessRoutes(*classless)) {
      r.routes.push_back({route.dst, route.gw, std::nullopt, std::nullopt, std::nullopt});
    }
    if (!r.routes.empty()) {
      return r;  // RFC 3442: option 121 replaces option 33 and the router
    }
  }
  if (const Bytes* statics = ack.option(kOptStaticRoutes)) {
    for (const RouteOption& route : staticRoutes(*statics)) {
      r.routes.push_back({route.dst, route.gw, std::nullopt, std::nullopt, std::nullopt});
    }
  }
  if (router) {
    r.routes.push_back({"0.0.0.0/0", ipText(*router), std::nullopt, std::nullopt, std::nullopt});
  }
  return r;
}

std::int64_t processStartTime(std::int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (pid <= 0 || close == std::string::npos) {
    return 0;
  }
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  // Fields after the command: state is field 3, starttime field 22.
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 3 && field == "Z") {
      return 0;  // exited, not yet reaped: gone for our purposes
    }
    if (i == 22) {
      return std::stoll(field);
    }
  }
  return 0;
}

}  // namespace rkt::dhcp
