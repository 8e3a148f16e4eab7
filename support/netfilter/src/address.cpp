#include "address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace rkt {
namespace netfilter {

bool isIpv4(const std::string& text) {
  in_addr a{};
  return ::inet_pton(AF_INET, text.c_str(), &a) == 1;
}

Result<AddressPrefix> parseAddressPrefix(const std::string& text) {
  const Error bad{"invalid pod address `" + text + "`: expected ADDRESS/PREFIX"};
  const auto slash = text.find('/');
  if (slash == std::string::npos || slash + 1 >= text.size() || text.size() - slash > 4) {
    return bad;
  }
  AddressPrefix out;
  out.address = text.substr(0, slash);
  const std::string bits = text.substr(slash + 1);
  if (bits.find_first_not_of("0123456789") != std::string::npos) {
    return bad;
  }
  out.prefix = std::stoi(bits);
  unsigned char raw[16] = {};
  int family = AF_INET;
  size_t size = 4;
  if (::inet_pton(AF_INET, out.address.c_str(), raw) != 1) {
    if (::inet_pton(AF_INET6, out.address.c_str(), raw) != 1) {
      return bad;
    }
    family = AF_INET6;
    size = 16;
    out.ipv6 = true;
  }
  if (out.prefix > static_cast<int>(size * 8)) {
    return bad;
  }
  for (size_t i = 0; i < size; ++i) {
    const int keep = out.prefix - static_cast<int>(i * 8);
    if (keep <= 0) {
      raw[i] = 0;
    } else if (keep < 8) {
      raw[i] = static_cast<unsigned char>(raw[i] & (0xff << (8 - keep)));
    }
  }
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family, raw, buf, sizeof buf);
  out.subnet = buf;
  // inet_ntop normalises the address too ("010.0.0.1" is refused, "fd00:0::2" → "fd00::2").
  ::inet_pton(family, out.address.c_str(), raw);
  ::inet_ntop(family, raw, buf, sizeof buf);
  out.address = buf;
  return out;
}

}  // namespace netfilter
}  // namespace rkt
