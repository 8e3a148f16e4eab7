#include "dhcp_exchange.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "rkt/support/posix/errno_text.hpp"

namespace rkt::dhcp {

namespace {

constexpr std::uint16_t kServerPort = 67;
constexpr std::uint16_t kClientPort = 68;

[[noreturn]] void sysFail(const std::string& what) {
  throw std::runtime_error(what + ": " + posix::errnoText(errno));
}

std::uint32_t randomXid() {
  static thread_local std::mt19937 gen{std::random_device{}()};
  return static_cast<std::uint32_t>(gen());
}

long long nowMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

Bytes ipBytes(const Ipv4& ip) {
  return Bytes(ip.begin(), ip.end());
}

// Whether the interface has an IPv4 address: without one a unicast would leave from 0.0.0.0,
// which the server's kernel drops as a martian.
bool hasAddress(int fd, const std::string& ifName) {
  ifreq req{};
  std::strncpy(req.ifr_name, ifName.c_str(), IFNAMSIZ - 1);
  req.ifr_addr.sa_family = AF_INET;
  return ::ioctl(fd, SIOCGIFADDR, &req) == 0;
}

}  // namespace

Exchange::Exchange(const Config& config, const std::array<std::uint8_t, 6>& mac, int stopFd)
    : config_(config), mac_(mac), stopFd_(stopFd) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    sysFail("cannot open a DHCP socket");
  }
  const int one = 1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(kClientPort);
  if (::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
      ::setsockopt(fd_, SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0 ||
      ::setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, config.ifName.c_str(),
                   static_cast<socklen_t>(config.ifName.size())) != 0 ||
      ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int e = errno;
    ::close(fd_);
    errno = e;
    sysFail("cannot bind the DHCP client port on `" + config.ifName + "`");
  }
}

Exchange::~Exchange() {
  ::close(fd_);
}

Message Exchange::base(MessageType type) const {
  Message m;
  m.op = 1;
  m.flags = 0x8000;
  m.chaddr = mac_;
  m.setOption(kOptMessageType, {type});
  Bytes id{0};  // type 0: not a hardware address (RFC 2132 §9.14), as the reference
  id.insert(id.end(), config_.clientId.begin(), config_.clientId.end());
  m.setOption(kOptClientId, id);
  return m;
}

void Exchange::send(const Message& m, const std::optional<Ipv4>& to) {
  const Bytes wire = encode(m);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(kServerPort);
  dst.sin_addr.s_addr = INADDR_BROADCAST;
  if (to) {
    std::memcpy(&dst.sin_addr.s_addr, to->data(), 4);
  }
  if (::sendto(fd_, wire.data(), wire.size(), 0, reinterpret_cast<sockaddr*>(&dst), sizeof dst) <
      0) {
    sysFail("cannot send a DHCP message on `" + config_.ifName + "`");
  }
}

std::optional<Message> Exchange::await(std::uint32_t xid,
                                       std::initializer_list<MessageType> types) {
  const long long deadline = nowMs() + config_.timeoutSeconds * 1000LL;
  std::array<std::uint8_t, 1500> buf{};
  for (long long left = deadline - nowMs(); left > 0; left = deadline - nowMs()) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
    const int ready = ::poll(fds, stopFd_ >= 0 ? 2 : 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) {
      sysFail("cannot wait for DHCP replies");
    }
    if (ready <= 0) {
      continue;
    }
    if (stopFd_ >= 0 && (fds[1].revents & POLLIN) != 0) {
      throw Stopped();
    }
    const ssize_t n = ::recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n <= 0) {
      continue;
    }
    auto m = decode(buf.data(), static_cast<std::size_t>(n));
    if (!m || m->op != 2 || m->xid != xid || m->chaddr != mac_ || !m->type()) {
      continue;  // another client's, or not DHCP
    }
    for (MessageType t : types) {
      if (*m->type() == t) {
        return m;
      }
    }
  }
  return std::nullopt;
}

Lease Exchange::acquire() {
  Message discover = base(kDiscover);
  discover.xid = randomXid();
  discover.setOption(kOptParameterList, Bytes(config_.request.begin(), config_.request.end()));
  for (const auto& [code, value] : config_.provide) {
    discover.setOption(code, value);
  }
  send(discover, std::nullopt);
  const auto offer = await(discover.xid, {kOffer});
  if (!offer) {
    throw std::runtime_error("no DHCPOFFER within " + std::to_string(config_.timeoutSeconds) + "s");
  }
  Message request = discover;
  request.xid = randomXid();
  request.setOption(kOptMessageType, {kRequest});
  request.setOption(kOptRequestedIp, ipBytes(offer->yiaddr));
  request.setOption(kOptServerId,
                    ipBytes(ipOf(offer->option(kOptServerId)).value_or(offer->siaddr)));
  send(request, std::nullopt);
  const auto ack = await(request.xid, {kAck, kNak});
  if (!ack) {
    throw std::runtime_error("no DHCPACK within " + std::to_string(config_.timeoutSeconds) + "s");
  }
  if (*ack->type() == kNak) {
    throw std::runtime_error("DHCP server NACK'd own offer");
  }
  return Lease::fromAck(*ack);
}

Lease Exchange::renew(const Lease& current) {
  Message request = base(kRequest);
  request.xid = randomXid();
  request.setOption(kOptParameterList, Bytes(config_.request.begin(), config_.request.end()));
  for (const auto& [code, value] : config_.provide) {
    request.setOption(code, value);
  }
  if (hasAddress(fd_, config_.ifName)) {
    // RENEWING (RFC 2131 §4.3.2): from the address, to the server, answered to the address.
    request.flags = 0;
    request.ciaddr = current.address;
    send(request, current.serverId);
  } else {
    // The address is not on the interface (IPAM used alone): ask for it again broadcast, as
    // INIT-REBOOT does, and get the answer broadcast.
    request.setOption(kOptRequestedIp, ipBytes(current.address));
    send(request, std::nullopt);
  }
  const auto ack = await(request.xid, {kAck, kNak});
  if (!ack) {
    throw std::runtime_error("no DHCPACK to the renewal within " +
                             std::to_string(config_.timeoutSeconds) + "s");
  }
  if (*ack->type() == kNak) {
    throw std::runtime_error("DHCP server did not renew lease");
  }
  return Lease::fromAck(*ack);
}

void Exchange::release(const Ipv4& address, const Ipv4& serverId) {
  Message release = base(kRelease);
  release.xid = randomXid();
  release.flags = 0;
  release.ciaddr = address;
  release.setOption(kOptServerId, ipBytes(serverId));
  // Unicast from the address; broadcast when the interface has none (the server takes both).
  send(release, hasAddress(fd_, config_.ifName) ? std::optional<Ipv4>(serverId) : std::nullopt);
}

std::optional<int> Backoff::nextDelayMs() {
  static thread_local std::mt19937 gen{std::random_device{}()};
  std::uniform_int_distribution<int> jitter(-1000, 1000);
  if (fast_ > 0) {
    --fast_;
    return 2000 + jitter(gen);
  }
  if (done_) {
    return std::nullopt;
  }
  const int delay = base_ * 1000 + jitter(gen);
  if (base_ < resendMax_) {
    base_ *= 2;
  } else {
    done_ = true;
  }
  return delay;
}

}  // namespace rkt::dhcp
