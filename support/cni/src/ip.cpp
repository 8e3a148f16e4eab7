#include "rkt/support/cni/ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace rkt::cni {

int Ip::bits() const {
  return family == AF_INET ? 32 : 128;
}

std::string Ip::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!valid() || ::inet_ntop(family, bytes.data(), buf, sizeof buf) == nullptr) {
    return "";
  }
  return buf;
}

Ip Ip::step(int delta) const {
  Ip out = *this;
  for (std::size_t i = size(); i-- > 0;) {
    if (delta > 0) {
      if (++out.bytes[i] != 0) {
        break;
      }
    } else if (out.bytes[i]-- != 0) {
      break;
    }
  }
  return out;
}

bool Ip::operator==(const Ip& o) const {
  return family == o.family && std::memcmp(bytes.data(), o.bytes.data(), size()) == 0;
}

bool Ip::operator<(const Ip& o) const {
  if (family != o.family) {
    return family < o.family;
  }
  return std::memcmp(bytes.data(), o.bytes.data(), size()) < 0;
}

std::optional<Ip> Ip::parse(const std::string& text) {
  Ip ip;
  if (::inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET;
    return ip;
  }
  if (::inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
    return ip;
  }
  return std::nullopt;
}

namespace {
// `a` with the bits after the first `length` cleared (`ones` false) or set (`ones` true).
Ip mask(const Ip& a, int length, bool ones) {
  Ip out = a;
  for (int bit = length; bit < a.bits(); ++bit) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    const auto m = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    out.bytes[byte] =
        static_cast<std::uint8_t>(ones ? (out.bytes[byte] | m) : (out.bytes[byte] & ~m));
  }
  return out;
}
}  // namespace

Ip Prefix::network() const {
  return mask(ip, length, false);
}

Ip Prefix::last() const {
  return mask(ip, length, true);
}

bool Prefix::contains(const Ip& a) const {
  return a.family == ip.family && mask(a, length, false) == network();
}

std::optional<Prefix> Prefix::parse(const std::string& text, bool allowBare) {
  const auto slash = text.find('/');
  Prefix p;
  auto ip = Ip::parse(text.substr(0, slash));
  if (!ip) {
    return std::nullopt;
  }
  p.ip = *ip;
  if (slash == std::string::npos) {
    if (!allowBare) {
      return std::nullopt;
    }
    p.length = ip->bits();
    return p;
  }
  const std::string len = text.substr(slash + 1);
  if (len.empty() || len.size() > 3 || !std::all_of(len.begin(), len.end(), ::isdigit)) {
    return std::nullopt;
  }
  p.length = std::stoi(len);
  if (p.length > ip->bits()) {
    return std::nullopt;
  }
  return p;
}

}  // namespace rkt::cni
