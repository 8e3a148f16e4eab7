#include "dhcp_message.hpp"

#include <algorithm>

namespace rkt::dhcp {

namespace {

constexpr std::uint8_t kCookie[4] = {99, 130, 83, 99};
constexpr std::size_t kHeader = 236;  // up to and including `file`
constexpr std::size_t kMinSize = 300;
constexpr std::uint8_t kPad = 0;
constexpr std::uint8_t kEnd = 255;

void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}
std::uint32_t get32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}
Ipv4 get4(const std::uint8_t* p) {
  return {p[0], p[1], p[2], p[3]};
}

// The classful mask length of a destination (Go's net.IP.DefaultMask, as the reference uses).
int classfulLength(const Ipv4& ip) {
  if (ip[0] < 0x80) {
    return 8;
  }
  return ip[0] < 0xc0 ? 16 : 24;
}

}  // namespace

const Bytes* Message::option(std::uint8_t code) const {
  for (const auto& [c, v] : options) {
    if (c == code) {
      return &v;
    }
  }
  return nullptr;
}

void Message::setOption(std::uint8_t code, Bytes value) {
  for (auto& [c, v] : options) {
    if (c == code) {
      v = std::move(value);
      return;
    }
  }
  options.emplace_back(code, std::move(value));
}

std::optional<MessageType> Message::type() const {
  const Bytes* t = option(kOptMessageType);
  if (t == nullptr || t->size() != 1) {
    return std::nullopt;
  }
  return static_cast<MessageType>((*t)[0]);
}

Bytes encode(const Message& m) {
  Bytes b;
  b.reserve(kMinSize + 64);
  b.push_back(m.op);
  b.push_back(1);  // htype: Ethernet
  b.push_back(6);  // hlen
  b.push_back(0);  // hops
  put32(b, m.xid);
  put16(b, m.secs);
  put16(b, m.flags);
  for (const Ipv4* a : {&m.ciaddr, &m.yiaddr, &m.siaddr, &m.giaddr}) {
    b.insert(b.end(), a->begin(), a->end());
  }
  b.insert(b.end(), m.chaddr.begin(), m.chaddr.end());
  b.resize(kHeader, 0);  // the rest of chaddr, sname, file
  b.insert(b.end(), std::begin(kCookie), std::end(kCookie));
  for (const auto& [code, value] : m.options) {
    std::size_t done = 0;
    do {  // a zero-length option is written once; a long one in pieces (RFC 3396)
      const std::size_t n = std::min<std::size_t>(255, value.size() - done);
      b.push_back(code);
      b.push_back(static_cast<std::uint8_t>(n));
      b.insert(b.end(), value.begin() + static_cast<std::ptrdiff_t>(done),
               value.begin() + static_cast<std::ptrdiff_t>(done + n));
      done += n;
    } while (done < value.size());
  }
  b.push_back(kEnd);
  if (b.size() < kMinSize) {
    b.resize(kMinSize, kPad);
  }
  return b;
}

std::optional<Message> decode(const std::uint8_t* data, std::size_t len) {
  if (data == nullptr || len < kHeader + 4 || data[1] != 1 || data[2] != 6 ||
      !std::equal(std::begin(kCookie), std::end(kCookie), data + kHeader)) {
    return std::nullopt;
  }
  Message m;
  m.op = data[0];
  m.xid = get32(data + 4);
  m.secs = static_cast<std::uint16_t>((data[8] << 8) | data[9]);
  m.flags = static_cast<std::uint16_t>((data[10] << 8) | data[11]);
  m.ciaddr = get4(data + 12);
  m.yiaddr = get4(data + 16);
  m.siaddr = get4(data + 20);
  m.giaddr = get4(data + 24);
  std::copy(data + 28, data + 34, m.chaddr.begin());
  std::size_t i = kHeader + 4;
  while (i < len) {
    const std::uint8_t code = data[i++];
    if (code == kPad) {
      continue;
    }
    if (code == kEnd) {
      return m;
    }
    if (i >= len || i + 1 + data[i] > len) {
      return std::nullopt;
    }
    const std::size_t n = data[i++];
    Bytes value(data + i, data + i + n);
    i += n;
    bool joined = false;
    for (auto& [c, v] : m.options) {
      if (c == code) {
        v.insert(v.end(), value.begin(), value.end());
        joined = true;
      }
    }
    if (!joined) {
      m.options.emplace_back(code, std::move(value));
    }
  }
  return m;  // no END: accepted, as most clients do
}

std::string ipText(const Ipv4& ip) {
  return std::to_string(ip[0]) + "." + std::to_string(ip[1]) + "." + std::to_string(ip[2]) + "." +
         std::to_string(ip[3]);
}

std::optional<Ipv4> ipOf(const Bytes* value) {
  if (value == nullptr || value->size() < 4) {
    return std::nullopt;
  }
  return get4(value->data());
}

std::optional<std::uint32_t> u32Of(const Bytes* value) {
  if (value == nullptr || value->size() != 4) {
    return std::nullopt;
  }
  return get32(value->data());
}

std::optional<int> maskLength(const Ipv4& mask) {
  const std::uint32_t m = get32(mask.data());
  int ones = 0;
  while (ones < 32 && (m & (0x80000000u >> ones)) != 0) {
    ++ones;
  }
  const std::uint32_t contiguous = ones == 0 ? 0 : ~0u << (32 - ones);
  if (m != contiguous) {
    return std::nullopt;
  }
  return ones;
}

std::vector<RouteOption> classlessRoutes(const Bytes& value) {
  std::vector<RouteOption> out;
  std::size_t i = 0;
  while (i + 5 <= value.size()) {
    const int width = value[i];
    if (width > 32) {
      return {};
    }
    const std::size_t octets = width == 0 ? 0 : static_cast<std::size_t>((width - 1) / 8 + 1);
    if (i + 1 + octets + 4 > value.size()) {
      return {};
    }
    Ipv4 dst{};
    std::copy(value.begin() + static_cast<std::ptrdiff_t>(i + 1),
              value.begin() + static_cast<std::ptrdiff_t>(i + 1 + octets), dst.begin());
    const Ipv4 gw = get4(value.data() + i + 1 + octets);
    out.push_back({ipText(dst) + "/" + std::to_string(width), ipText(gw)});
    i += 1 + octets + 4;
  }
  return out;
}

std::vector<RouteOption> staticRoutes(const Bytes& value) {
  std::vector<RouteOption> out;
  for (std::size_t i = 0; i + 8 <= value.size(); i += 8) {
    const Ipv4 dst = get4(value.data() + i);
    out.push_back({ipText(dst) + "/" + std::to_string(classfulLength(dst)),
                   ipText(get4(value.data() + i + 4))});
  }
  return out;
}

}  // namespace rkt::dhcp
