// The client's side of the DHCP exchanges, over a UDP socket on port 68 bound to one interface
// (SO_BINDTODEVICE), in the calling thread's network namespace. Replies are asked broadcast
// (flag 0x8000) so they arrive before the interface has an address; renewals and releases are
// unicast to the server from the address, broadcast while the interface has none.
//
// Why not a library: Debian has no DHCP client library (dhcpcd, udhcpc, dhclient are programs);
// Kea's libdhcp++ (kea-dev) is a server library whose ABI changes each release and which pulls
// its logger and database back ends into the plugin. These four exchanges are small.
#ifndef RKT_PLUGINS_IPAM_DHCP_EXCHANGE_HPP
#define RKT_PLUGINS_IPAM_DHCP_EXCHANGE_HPP

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "dhcp_config.hpp"
#include "dhcp_message.hpp"
#include "lease.hpp"

namespace rkt::dhcp {

/// Thrown when the stop descriptor became readable during a wait.
struct Stopped : std::runtime_error {
  Stopped() : std::runtime_error("stopped") {}
};

class Exchange {
 public:
  /// Opens the socket on `ifName`. `stopFd` (-1: none) is polled with every wait.
  Exchange(const Config& config, const std::array<std::uint8_t, 6>& mac, int stopFd = -1);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  /// DISCOVER, OFFER, REQUEST, ACK, each reply awaited for the configured timeout. Throws
  /// std::runtime_error naming what did not come ("no DHCPOFFER within 10s", "DHCP server
  /// NACK'd own offer").
  Lease acquire();
  /// REQUEST with ciaddr to the server: the new lease, or throws as acquire.
  Lease renew(const Lease& current);
  /// RELEASE to the server; no answer is expected.
  void release(const Ipv4& address, const Ipv4& serverId);

 private:
  Message base(MessageType type) const;
  void send(const Message& m, const std::optional<Ipv4>& to);
  /// The first reply of `xid` of one of the types, or nullopt after the timeout.
  std::optional<Message> await(std::uint32_t xid, std::initializer_list<MessageType> types);

  const Config& config_;
  std::array<std::uint8_t, 6> mac_;
  int stopFd_;
  int fd_ = -1;
};

/// The back-off of the reference between failed tries: four fast tries 2 s (±1 s) apart, then
/// 4 s doubling (±1 s) while below `resendMax`; nullopt when there are no more tries.
class Backoff {
 public:
  explicit Backoff(int resendMaxSeconds) : resendMax_(resendMaxSeconds) {}
  std::optional<int> nextDelayMs();

 private:
  int resendMax_;
  int fast_ = 4;
  int base_ = 4;
  bool done_ = false;
};

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_EXCHANGE_HPP
