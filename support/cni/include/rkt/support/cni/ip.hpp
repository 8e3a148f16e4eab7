// IPv4 and IPv6 addresses and prefixes as CNI handles them: parsed from and printed to the text
// the reference plugins use (inet_ntop's canonical form, "10.1.2.3/24"), compared and stepped
// for allocation. Values, no system calls.
#ifndef RKT_SUPPORT_CNI_IP_HPP
#define RKT_SUPPORT_CNI_IP_HPP

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace rkt::cni {

/// One address: 4 or 16 bytes in network order.
struct Ip {
  int family = 0;  ///< AF_INET or AF_INET6; 0: none
  std::array<std::uint8_t, 16> bytes{};

  int bits() const;
  std::size_t size() const { return static_cast<std::size_t>(bits() / 8); }
  bool valid() const { return family != 0; }
  std::string str() const;
  /// The next (+1) or previous (-1) address; wraps within the family.
  Ip step(int delta) const;
  bool operator==(const Ip& o) const;
  bool operator!=(const Ip& o) const { return !(*this == o); }
  bool operator<(const Ip& o) const;

  /// "10.1.2.3" or "fd00::1"; nullopt when it is neither.
  static std::optional<Ip> parse(const std::string& text);
};

/// A prefix "10.1.2.0/24"; `ip` may have host bits set (an interface address).
struct Prefix {
  Ip ip;
  int length = 0;

  std::string str() const { return ip.str() + "/" + std::to_string(length); }
  Ip network() const;
  /// The last address of the prefix (the IPv4 broadcast).
  Ip last() const;
  bool contains(const Ip& a) const;
  bool hostBitsSet() const { return network() != ip; }

  /// "10.1.2.3/24"; also a bare address as its host prefix when `allowBare`.
  static std::optional<Prefix> parse(const std::string& text, bool allowBare = false);
};

}  // namespace rkt::cni

#endif  // RKT_SUPPORT_CNI_IP_HPP
