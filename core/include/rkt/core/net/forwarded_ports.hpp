// rkt's forwarded ports (common/networking/ports.go, rkt-notes §5.5): the pod manifest's
// `ports` (from `--port=NAME:[HOSTIP:]HOSTPORT` or a --pod-manifest) matched by name against
// the apps' ports, with rkt's errors for unknown or ambiguous names and conflicting host ports.
#ifndef RKT_CORE_NET_FORWARDED_PORTS_HPP
#define RKT_CORE_NET_FORWARDED_PORTS_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/schema/pod_manifest.hpp"

namespace rkt::net {

/// One host port forwarded to the pod.
struct ForwardedPort {
  std::string name;      ///< the exposed port's name
  std::string protocol;  ///< the app port's ("tcp", "udp")
  std::string hostIp;    ///< "0.0.0.0" (every local address) unless given
  std::uint32_t hostPort = 0;
  std::uint32_t podPort = 0;
};

/// The pod manifest's ports resolved as rkt's ForwardedPorts: an exposed port with `podPort`
/// uses it, else the one app port of that name (`port name "x" defined multiple apps`,
/// `port name "x" could not be found in any apps`); a port of the same protocol and host port
/// as an earlier one on the same or any (0.0.0.0) address is refused (`port tcp-0.0.0.0:8080
/// already mapped to pod port 80`).
Result<std::vector<ForwardedPort>> forwardedPorts(const schema::PodManifest& manifest);

}  // namespace rkt::net

#endif  // RKT_CORE_NET_FORWARDED_PORTS_HPP
