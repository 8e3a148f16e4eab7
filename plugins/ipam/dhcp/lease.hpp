// One DHCP lease as the keeper holds it: what the server's ACK said, the times it runs by, the
// CNI IPAM result made of it (the reference's: address/mask and gateway = first router; routes
// from option 121 alone when present, else option 33 plus a default route via the router), and
// the state file that outlives the plugin call (JSON, written by the keeper, read by DEL).
#ifndef RKT_PLUGINS_IPAM_DHCP_LEASE_HPP
#define RKT_PLUGINS_IPAM_DHCP_LEASE_HPP

#include <cstdint>
#include <string>

#include "dhcp_message.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::dhcp {

struct Lease {
  Ipv4 address{};
  Ipv4 serverId{};
  std::uint32_t leaseSeconds = 0;
  std::uint32_t renewSeconds = 0;   ///< T1
  std::uint32_t rebindSeconds = 0;  ///< T2
  Message ack;

  /// From an ACK: lease time (3600 s when absent, as the reference does today), T2 (option 59,
  /// else 85 %), T1 (option 58, else 50 %). Throws protocol::cni::Failure for an ACK without a
  /// usable subnet mask ("DHCP option Subnet Mask not found in DHCPACK").
  static Lease fromAck(const Message& ack);
  protocol::cni::Result result(const std::string& cniVersion) const;
};

/// The state of one lease's keeper, `<state dir>/<stateFileName>` (JSON through the SDK's
/// protocol codec: protocol::encode / protocol::decode, which throws sdk::Error).
struct KeeperState {
  static constexpr const char* kWhat = "dhcp lease state";
  std::string clientId;
  std::string containerId;
  std::string network;
  std::string ifName;
  std::int64_t pid = 0;
  std::int64_t startTime = 0;  ///< of `pid`, /proc/<pid>/stat field 22: PID reuse guard
  std::string phase;           ///< acquiring, bound, renewing, rebinding, expired, released…
  std::string mac;
  std::string address;  ///< "10.1.2.3"
  std::string serverId;
  std::int64_t expires = 0;  ///< wall-clock seconds
  int renewals = 0;
  std::string result;  ///< the CNI IPAM result (JSON), once bound

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    using protocol::Presence;
    v("clientId", s.clientId, Presence::kRequired);
    v("containerId", s.containerId, Presence::kRequired);
    v("network", s.network, Presence::kRequired);
    v("ifName", s.ifName, Presence::kRequired);
    v("pid", s.pid, Presence::kRequired);
    v("startTime", s.startTime, Presence::kRequired);
    v("phase", s.phase);
    v("mac", s.mac, Presence::kOmitEmpty);
    v("address", s.address, Presence::kOmitEmpty);
    v("serverId", s.serverId, Presence::kOmitEmpty);
    v("expires", s.expires);
    v("renewals", s.renewals);
    v("result", s.result, Presence::kOmitEmpty);
  }
};

/// The start time of a process (clock ticks since boot), 0 when there is none: a process that
/// exists with the recorded PID and start time is the recorded one.
std::int64_t processStartTime(std::int64_t pid);

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_LEASE_HPP
