// DHCPv4 messages (RFC 2131, options RFC 2132): the fixed header and the options, encoded to and
// decoded from the bytes of a UDP payload, and the options the IPAM result is made of (subnet
// mask, routers, static routes 33, classless routes 121 (RFC 3442), lease times). Values only:
// no socket here (dhcp_exchange.hpp sends and receives them).
#ifndef RKT_PLUGINS_IPAM_DHCP_MESSAGE_HPP
#define RKT_PLUGINS_IPAM_DHCP_MESSAGE_HPP

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rkt::dhcp {

using Bytes = std::vector<std::uint8_t>;
using Ipv4 = std::array<std::uint8_t, 4>;

enum MessageType : std::uint8_t {
  kDiscover = 1,
  kOffer = 2,
  kRequest = 3,
  kDecline = 4,
  kAck = 5,
  kNak = 6,
  kRelease = 7,
};

enum Option : std::uint8_t {
  kOptSubnetMask = 1,
  kOptRouter = 3,
  kOptHostName = 12,
  kOptStaticRoutes = 33,
  kOptRequestedIp = 50,
  kOptLeaseTime = 51,
  kOptMessageType = 53,
  kOptServerId = 54,
  kOptParameterList = 55,
  kOptRenewalTime = 58,
  kOptRebindingTime = 59,
  kOptVendorClass = 60,
  kOptClientId = 61,
  kOptUserClass = 77,
  kOptClasslessRoutes = 121,
};

struct Message {
  std::uint8_t op = 1;  ///< 1 request (client), 2 reply (server)
  std::uint32_t xid = 0;
  std::uint16_t secs = 0;
  std::uint16_t flags = 0;  ///< 0x8000: broadcast the reply
  Ipv4 ciaddr{};
  Ipv4 yiaddr{};
  Ipv4 siaddr{};
  Ipv4 giaddr{};
  std::array<std::uint8_t, 6> chaddr{};  ///< Ethernet address (htype 1, hlen 6)
  /// Options in the order they are written; a code appears once (long values are split into
  /// 255-byte pieces on the wire and joined when read, RFC 3396).
  std::vector<std::pair<std::uint8_t, Bytes>> options;

  const Bytes* option(std::uint8_t code) const;
  void setOption(std::uint8_t code, Bytes value);
  std::optional<MessageType> type() const;
};

/// The wire form, padded to the 300 bytes BOOTP relays and old servers expect.
Bytes encode(const Message& m);
/// nullopt for anything that is not a well-formed BOOTP/DHCP message (short, bad cookie,
/// truncated option).
std::optional<Message> decode(const std::uint8_t* data, std::size_t len);

std::string ipText(const Ipv4& ip);
std::optional<Ipv4> ipOf(const Bytes* value);  ///< a 4-byte option value
std::optional<std::uint32_t> u32Of(const Bytes* value);
/// The prefix length of a contiguous netmask; nullopt when it is not one.
std::optional<int> maskLength(const Ipv4& mask);

struct RouteOption {
  std::string dst;  ///< CIDR
  std::string gw;
};
/// Option 121 (RFC 3442); empty when it is malformed (as the reference ignores it then).
std::vector<RouteOption> classlessRoutes(const Bytes& value);
/// Option 33: destination/router pairs, the destination with its classful mask.
std::vector<RouteOption> staticRoutes(const Bytes& value);

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_MESSAGE_HPP
