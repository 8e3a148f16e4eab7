#include "rkt/support/cni/lower_link.hpp"

#include <algorithm>

#include "rkt/support/cni/netns.hpp"

namespace rkt::cni {

namespace pc = protocol::cni;

namespace {
bool hasPrevResult(const pc::Request& r) {
  try {
    prevResult(r);
    return true;
  } catch (const pc::Failure&) {
    return false;
  }
}
}  // namespace

LowerLinkConfig parseLowerLinkConfig(const LowerLinkType& type, const pc::Request& r,
                                     bool needMaster) {
  LowerLinkConfig c;
  c.common = parseCommonConfig(r, false);
  c.master = configValue<std::string>(c.common, "master", "");
  c.mode = configValue<std::string>(c.common, "mode", "");
  c.mtu = configValue(c.common, "mtu", 0);
  if (c.mode.empty()) {
    c.mode = type.modes.front();
  }
  if (std::find(type.modes.begin(), type.modes.end(), c.mode) == type.modes.end()) {
    fail("unknown " + type.kind + " mode: \"" + c.mode + "\"");
  }
  if (!needMaster) {
    return c;
  }
  Netlink nl;
  if (c.master.empty() && type.chained && hasPrevResult(r)) {
    const pc::Result prev = prevResult(r);
    if (prev.interfaces.size() != 1 || prev.interfaces[0].name.empty()) {
      fail("chained master failure. PrevResult lacks a single named interface");
    }
    c.master = prev.interfaces[0].name;
  }
  if (c.master.empty()) {
    c.master = nl.defaultRouteInterface();
    if (c.master.empty()) {
      fail("no default route interface found");
    }
  }
  const auto master = nl.link(c.master);
  if (!master) {
    fail("failed to lookup master \"" + c.master + "\": Link not found");
  }
  if (c.mtu < 0 || c.mtu > master->mtu) {
    fail("invalid MTU " + std::to_string(c.mtu) + ", must be [0, master MTU(" +
         std::to_string(master->mtu) + ")]");
  }
  return c;
}

namespace {
void deleteInContainer(const sdk::NetContext& ctx, const std::string& ifName) {
  NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
  Netlink().deleteLink(ifName);
}
}  // namespace

pc::Result addLowerLink(const LowerLinkType& type, const sdk::NetContext& ctx,
                        const pc::Request& r) {
  const LowerLinkConfig c = parseLowerLinkConfig(type, r, true);
  if (ctx.containerNetns() < 0) {
    throw pc::Failure(pc::kInvalidEnvironment, "required env variables [CNI_NETNS] missing");
  }
  pc::Result result;
  result.cniVersion = r.cniVersion;
  {
    Netlink nl;
    const std::string tmpName = randomVethName();
    type.create(nl, tmpName, nl.linkIndex(c.master), c.mode, c.mtu, c.common.mac,
                ctx.containerNetns());
    NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
    Netlink inside;
    try {
      if (inside.link(r.ifName)) {
        fail("failed to rename " + type.kind + " to \"" + r.ifName + "\": file exists");
      }
      inside.rename(tmpName, r.ifName);
    } catch (...) {
      inside.deleteLink(tmpName);
      throw;
    }
    result.interfaces.push_back({r.ifName, inside.linkMac(r.ifName), r.netns, std::nullopt});
  }
  try {
    // ipvlan chained without IPAM: the previous result's addresses.
    pc::Result chainedResult;
    if (type.chained && c.common.ipamType.empty() && hasPrevResult(r)) {
      chainedResult = prevResult(r);
    }
    if (!chainedResult.ips.empty()) {
      result.ips = chainedResult.ips;
      result.routes = chainedResult.routes;
      for (pc::IpConfig& ipc : result.ips) {
        ipc.interface = 0;
      }
      NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
      writeSysctl("net/ipv4/conf/" + r.ifName + "/arp_notify", "1", true);
      configureIface(r.ifName, result);
    } else if (type.chained && c.common.ipamType.empty()) {
      fail("no plugin name provided");  // what 1.1.1 says: it execs an IPAM without a name
    } else if (!c.common.ipamType.empty()) {
      const pc::Result ipam = ipamAdd(ctx, r);
      try {
        result.ips = ipam.ips;
        result.routes = ipam.routes;
        for (pc::IpConfig& ipc : result.ips) {
          ipc.interface = 0;
        }
        NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
        writeSysctl("net/ipv4/conf/" + r.ifName + "/arp_notify", "1", true);
        configureIface(r.ifName, result);
      } catch (...) {
        ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r);
        throw;
      }
    } else {
      NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
      Netlink().linkUp(r.ifName);
    }
  } catch (...) {
    // Unlike the reference (which leaves the link when IPAM fails), nothing stays behind.
    try {
      deleteInContainer(ctx, r.ifName);
    } catch (const std::exception& e) {
      sdk::log(RKT_LOG_WARNING, "rollback of `" + r.ifName + "`: " + e.what());
    }
    throw;
  }
  result.dns = c.common.dns;  // 1.1.1: the config's, whatever IPAM said
  return result;
}

void delLowerLink(const LowerLinkType& type, const sdk::NetContext& ctx, const pc::Request& r) {
  const LowerLinkConfig c = parseLowerLinkConfig(type, r, false);
  if (!c.common.ipamType.empty()) {
    ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r);
  }
  if (ctx.containerNetns() >= 0) {
    deleteInContainer(ctx, r.ifName);
  }
}

void checkLowerLink(const LowerLinkType& type, const sdk::NetContext& ctx, const pc::Request& r) {
  const LowerLinkConfig c = parseLowerLinkConfig(type, r, true);
  if (ctx.containerNetns() < 0) {
    fail("failed to open netns \"" + r.netns + "\": no such namespace");
  }
  if (!c.common.ipamType.empty()) {
    ctx.delegate(RKT_KIND_IPAM, RKT_CNI_CHECK, r);
  }
  const pc::Result prev = prevResult(r);
  pc::Interface contMap;
  for (const pc::Interface& i : prev.interfaces) {
    if (i.name == r.ifName && i.sandbox == r.netns) {
      contMap = i;
    }
  }
  if (contMap.sandbox != r.netns) {
    fail("Sandbox in prevResult " + contMap.sandbox +
         " doesn't match configured netns: " + r.netns);
  }
  NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
  const auto l = Netlink().link(contMap.name);
  if (!l) {
    fail("Container Interface name in prevResult: " + contMap.name + " not found");
  }
  if (l->kind != type.kind) {
    fail("Error: Container interface " + l->name + " not of type " + type.kind);
  }
  if (l->mode != c.mode) {
    fail("Container " + type.kind + " mode " + l->mode +
         " does not match expected value: " + c.mode);
  }
  if (!contMap.mac.empty() && contMap.mac != l->mac) {
    fail("Interface " + contMap.name + " Mac " + contMap.mac +
         " doesn't match container Mac: " + l->mac);
  }
  checkIface(r.ifName, prev);
}

}  // namespace rkt::cni
