#include "rkt/core/net/forwarded_ports.hpp"

#include <arpa/inet.h>

#include "rkt/base/quote.hpp"

namespace rkt::net {
namespace {

// Go's net.IP String() of a parsed address, so that equal addresses compare equal.
std::string canonicalIp(const std::string& ip) {
  unsigned char buf[sizeof(in6_addr)];
  char text[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, ip.c_str(), buf) == 1)
    return inet_ntop(AF_INET, buf, text, sizeof text);
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1)
    return inet_ntop(AF_INET6, buf, text, sizeof text);
  return ip;
}

bool conflicts(const ForwardedPort& a, const ForwardedPort& b) {
  return a.protocol == b.protocol && a.hostPort == b.hostPort &&
         (a.hostIp == "0.0.0.0" || b.hostIp == "0.0.0.0" || a.hostIp == b.hostIp);
}

}  // namespace

Result<std::vector<ForwardedPort>> forwardedPorts(const schema::PodManifest& manifest) {
  std::vector<ForwardedPort> out;
  for (const schema::ExposedPort& ep : manifest.ports) {
    const schema::Port* podPort = ep.podPort ? &*ep.podPort : nullptr;
    if (podPort == nullptr) {
      for (const schema::RuntimeApp& ra : manifest.apps) {
        if (!ra.app)
          continue;
        for (const schema::Port& p : ra.app->ports) {
          if (p.name != ep.name)
            continue;
          if (podPort != nullptr)
            return Error{"port name " + goQuote(ep.name) + " defined multiple apps"};
          podPort = &p;
        }
      }
      if (podPort == nullptr)
        return Error{"port name " + goQuote(ep.name) + " could not be found in any apps"};
    }
    ForwardedPort fp{ep.name, podPort->protocol,
                     ep.hostIp.empty() ? std::string("0.0.0.0") : canonicalIp(ep.hostIp),
                     ep.hostPort, podPort->port};
    for (const ForwardedPort& earlier : out) {
      if (conflicts(fp, earlier)) {
        return Error{"port " + fp.protocol + "-" + fp.hostIp + ":" + std::to_string(fp.hostPort) +
                     " already mapped to pod port " + std::to_string(earlier.podPort)};
      }
    }
    out.push_back(fp);
  }
  return out;
}

}  // namespace rkt::net
