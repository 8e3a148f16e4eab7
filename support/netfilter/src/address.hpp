// IP addresses and prefixes as the rules need them, parsed with inet_pton.
#ifndef RKT_SUPPORT_NETFILTER_ADDRESS_HPP
#define RKT_SUPPORT_NETFILTER_ADDRESS_HPP

#include <string>

#include "rkt/base/result.hpp"

namespace rkt {
namespace netfilter {

/// "10.99.0.3/24" → address "10.99.0.3", subnet "10.99.0.0", prefix 24, ipv6 false.
struct AddressPrefix {
  std::string address;
  std::string subnet;
  int prefix = 0;
  bool ipv6 = false;
};

Result<AddressPrefix> parseAddressPrefix(const std::string& text);
/// True if text is a dotted IPv4 address.
bool isIpv4(const std::string& text);

}  // namespace netfilter
}  // namespace rkt

#endif  // RKT_SUPPORT_NETFILTER_ADDRESS_HPP
