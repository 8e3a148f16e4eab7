#include "ptp.hpp"

#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "rkt/support/cni/attach.hpp"
#include "rkt/support/cni/ip.hpp"
#include "rkt/support/cni/masquerade.hpp"
#include "rkt/support/cni/netlink.hpp"
#include "rkt/support/cni/netns.hpp"

namespace rkt::ptp {

namespace pc = protocol::cni;
using cni::Ip;
using cni::Prefix;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw pc::Failure(pc::kInternal, msg);
}

struct Config {
  int mtu = 0;
  bool ipMasq = false;
  pc::Dns dns;  ///< replaces IPAM's when any field is set
};

// The whole configuration, checked before anything changes.
Config parseConfig(const pc::Request& r) {
  Poco::JSON::Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(r.config.text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kDecodeFailure, "error unmarshall network config: " + e.message());
  }
  Config c;
  try {
    c.mtu = o->optValue<int>("mtu", 0);
    c.ipMasq = o->optValue<bool>("ipMasq", false);
    if (auto dns = o->getObject("dns"); !dns.isNull()) {
      c.dns = protocol::decode<pc::Dns>(protocol::detail::stringify(dns));
    }
  } catch (const Poco::Exception& e) {
    throw pc::Failure(pc::kInvalidConfig, "invalid ptp config: " + e.message());
  }
  if (c.mtu < 0 || c.mtu > 65535) {
    fail("invalid MTU " + std::to_string(c.mtu));
  }
  auto ipam = o->getObject("ipam");
  if (ipam.isNull() || ipam->optValue<std::string>("type", "").empty()) {
    throw pc::Failure(pc::kInvalidConfig, "ptp: ipam with a type is required");
  }
  if (r.ifName.empty() || r.ifName.size() > 15 || r.ifName.find('/') != std::string::npos) {
    throw pc::Failure(pc::kInvalidEnvironment, "invalid interface name \"" + r.ifName + "\"");
  }
  return c;
}

// The container side (in its netns): addresses, link up, IPAM routes through the gateway, and
// ptp's routing: no connected route, the gateway as a link route, the subnet via the gateway.
void configureContainer(const pc::Request& r, const pc::Result& ipam) {
  cni::Netlink nl;
  const int index = nl.linkIndex(r.ifName);
  for (const pc::IpConfig& ipc : ipam.ips) {
    const auto addr = *Prefix::parse(ipc.address);
    if (addr.ip.family == AF_INET6) {
      cni::writeSysctl("net/ipv6/conf/" + r.ifName + "/disable_ipv6", "0", true);
    }
    nl.addAddress(index, addr);
  }
  nl.linkUp(r.ifName);
  // A route with a tentative IPv6 source fails (EINVAL): wait for duplicate address detection
  // as the reference (ip.SettleAddresses, 10 s in 1.1.1, then on regardless), polled every
  // 50 ms. It ends only with a carrier: the host end is up by now (ptp's add).
  const bool v6 = std::any_of(ipam.ips.begin(), ipam.ips.end(), [](const pc::IpConfig& c) {
    return c.address.find(':') != std::string::npos;
  });
  for (int i = 0; v6 && i < 200 && nl.hasUnsettledAddress(index); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const pc::IpConfig& ipc : ipam.ips) {
    const auto addr = *Prefix::parse(ipc.address);
    const auto gw = Ip::parse(ipc.gateway);
    if (!gw) {
      continue;
    }
    nl.deleteKernelRoute({addr.network(), addr.length}, index);
    nl.addRoute({{*gw, gw->bits()}, std::nullopt, addr.ip, index, RT_SCOPE_LINK});
    nl.addRoute({{addr.network(), addr.length}, gw, addr.ip, index, RT_SCOPE_UNIVERSE});
  }
  for (const pc::Route& route : ipam.routes) {
    const auto dst = Prefix::parse(route.dst);
    std::optional<Ip> gw = Ip::parse(route.gw);
    if (!gw) {
      for (const pc::IpConfig& ipc : ipam.ips) {
        auto g = Ip::parse(ipc.gateway);
        if (g && g->family == dst->ip.family) {
          gw = g;
          break;
        }
      }
    }
    nl.addRoute({*dst, gw, std::nullopt, index, RT_SCOPE_UNIVERSE});
  }
}

// Back in the host's netns: the gateway as /32 on the host end, a host route to the container.
void configureHost(const std::string& hostVeth, const pc::Result& ipam) {
  cni::Netlink nl;
  const int index = nl.linkIndex(hostVeth);
  if (index == 0) {
    fail("host end `" + hostVeth + "` of the veth pair is missing");
  }
  cni::writeSysctl("net/ipv6/conf/" + hostVeth + "/accept_ra", "0", true);
  nl.linkUp(hostVeth);
  for (const pc::IpConfig& ipc : ipam.ips) {
    const auto addr = *Prefix::parse(ipc.address);
    if (auto gw = Ip::parse(ipc.gateway)) {
      nl.addAddress(index, {*gw, gw->bits()});
    }
    nl.addRoute({{addr.ip, addr.ip.bits()}, std::nullopt, std::nullopt, index, RT_SCOPE_HOST});
  }
}

void enableForwarding(const pc::Result& ipam) {
  for (const pc::IpConfig& ipc : ipam.ips) {
    const bool v6 = ipc.address.find(':') != std::string::npos;
    cni::writeSysctl(v6 ? "net/ipv6/conf/all/forwarding" : "net/ipv4/ip_forward", "1");
  }
}

// Deletes the container interface (its host end goes with it); its addresses, for ipMasq.
std::vector<Prefix> deleteContainerLink(const sdk::NetContext& ctx, const std::string& ifName) {
  cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
  cni::Netlink nl;
  std::vector<Prefix> addrs;
  if (const int index = nl.linkIndex(ifName); index != 0) {
    addrs = nl.addresses(index);
    nl.deleteLink(ifName);
  }
  return addrs;
}

}  // namespace

pc::Result Ptp::add(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config config = parseConfig(r);
  if (ctx.containerNetns() < 0) {
    throw pc::Failure(pc::kInvalidEnvironment, "required env variables [CNI_NETNS] missing");
  }
  const pc::Result ipam = cni::ipamAdd(ctx, r);  // checked; released when it is unusable
  bool linkCreated = false;
  try {
    enableForwarding(ipam);
    std::string hostVeth;
    std::string containerMac;
    {
      cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
      cni::Netlink nl;
      if (nl.linkIndex(r.ifName) != 0) {
        fail("container veth name provided (" + r.ifName + ") already exists");
      }
      for (int attempt = 0; hostVeth.empty(); ++attempt) {
        const std::string name = cni::randomVethName();
        if (nl.addVeth(r.ifName, name, ctx.hostNetns(), config.mtu)) {
          hostVeth = name;
        } else if (nl.linkIndex(r.ifName) != 0 || attempt > 8) {
          fail("failed to create veth pair for `" + r.ifName + "`: name exists");
        }
      }
      linkCreated = true;
    }
    // The host end up first, as the reference's SetupVeth: without a carrier the container's
    // IPv6 addresses would stay tentative.
    cni::Netlink().linkUp(hostVeth);
    {
      cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
      cni::Netlink nl;
      configureContainer(r, ipam);
      containerMac = nl.linkMac(r.ifName);
    }
    configureHost(hostVeth, ipam);
    pc::Result result = ipam;
    result.cniVersion = r.cniVersion;
    result.interfaces.push_back({hostVeth, cni::Netlink().linkMac(hostVeth), "", std::nullopt});
    result.interfaces.push_back({r.ifName, containerMac, r.netns, std::nullopt});
    std::vector<std::string> addresses;
    for (pc::IpConfig& ipc : result.ips) {
      ipc.interface = 1;
      addresses.push_back(ipc.address);
    }
    if (config.ipMasq) {
      cni::setupIpMasq(r, addresses);
    }
    if (!config.dns.empty()) {
      result.dns = config.dns;
    }
    return result;
  } catch (...) {
    // Undo in reverse: the link (and so the host end and its routes), then the allocation.
    if (linkCreated) {
      try {
        deleteContainerLink(ctx, r.ifName);
      } catch (const std::exception& e) {
        sdk::log(RKT_LOG_WARNING, std::string("rollback of `") + r.ifName + "`: " + e.what());
      }
    }
    try {
      ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r);
    } catch (const std::exception& e) {
      sdk::log(RKT_LOG_WARNING, std::string("rollback of the IPAM allocation: ") + e.what());
    }
    throw;
  }
}

void Ptp::del(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config config = parseConfig(r);
  ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r);
  // The rules go even when the netns (and the addresses) are gone: they are found by name.
  if (config.ipMasq) {
    cni::teardownIpMasq(r);
  }
  if (ctx.containerNetns() >= 0) {
    deleteContainerLink(ctx, r.ifName);
  }
}

void Ptp::check(const sdk::NetContext& ctx, const pc::Request& r) {
  parseConfig(r);
  if (r.prevResult.text.empty()) {
    throw pc::Failure(pc::kInvalidConfig, "ptp: Required prevResult missing");
  }
  const pc::Result prev = protocol::decode<pc::Result>(r.prevResult.text);
  ctx.delegate(RKT_KIND_IPAM, RKT_CNI_CHECK, r);
  cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
  if (cni::Netlink().linkIndex(r.ifName) == 0) {
    fail("Failed to find container interface " + r.ifName);
  }
  cni::checkIface(r.ifName, prev);
}

}  // namespace rkt::ptp
