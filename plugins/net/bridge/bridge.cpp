#include "bridge.hpp"

#include <linux/if.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "config.hpp"
#include "rkt/support/cni/attach.hpp"
#include "rkt/support/cni/ip.hpp"
#include "rkt/support/cni/masquerade.hpp"
#include "rkt/support/cni/netlink.hpp"
#include "rkt/support/cni/netns.hpp"

namespace rkt::bridge {

namespace pc = protocol::cni;
using cni::fail;
using cni::Ip;
using cni::Prefix;

namespace {

// Creates the bridge unless it exists (then it must be a bridge), promiscuous when asked,
// accept_ra=0 ("we own its routes"), up. Returns whether it was created by this call.
bool ensureBridge(cni::Netlink& nl, const Config& c) {
  bool created = false;
  try {
    created = nl.addBridge(c.bridge, c.mtu, c.vlan != 0);
    if (c.promisc) {
      nl.setPromisc(c.bridge);
    }
    const auto br = nl.link(c.bridge);
    if (!br) {
      fail("could not lookup \"" + c.bridge + "\": Link not found");
    }
    if (br->kind != "bridge") {
      fail("\"" + c.bridge + "\" already exists but is not a bridge");
    }
    cni::writeSysctl("net/ipv6/conf/" + c.bridge + "/accept_ra", "0", true);
    nl.linkUp(c.bridge);
  } catch (const std::exception& e) {
    if (created) {
      nl.deleteLink(c.bridge);
    }
    fail("failed to create bridge \"" + c.bridge + "\": " + e.what());
  }
  return created;
}

// A veth pair, `ifName` in the netns `inNetns` (entered from `home`), its other end (returned)
// in `home`, a port of the bridge with the hairpin mode written on or off and the access VLAN.
struct Veth {
  pc::Interface host;
  pc::Interface container;
};
Veth setupVeth(int inNetns, int home, int bridgeIndex, const std::string& ifName, int mtu,
               bool hairpin, int vlan, const std::string& mac) {
  Veth v;
  {
    cni::NetnsScope in(inNetns, home);
    cni::Netlink nl;
    if (nl.linkIndex(ifName) != 0) {
      fail("container veth name provided (" + ifName + ") already exists");
    }
    for (int attempt = 0; v.host.name.empty(); ++attempt) {
      const std::string name = cni::randomVethName();
      if (nl.addVeth(ifName, name, home, mtu)) {
        v.host.name = name;
      } else if (nl.linkIndex(ifName) != 0 || attempt > 8) {
        fail("failed to create veth pair for `" + ifName + "`: name exists");
      }
    }
    try {
      if (!mac.empty()) {
        nl.setMac(ifName, mac);
      }
      v.container = {ifName, nl.linkMac(ifName), "", std::nullopt};
    } catch (...) {
      nl.deleteLink(ifName);
      throw;
    }
  }
  cni::Netlink nl;
  try {
    const auto host = nl.link(v.host.name);
    if (!host) {
      fail("failed to lookup \"" + v.host.name + "\": Link not found");
    }
    v.host.mac = host->mac;
    cni::writeSysctl("net/ipv6/conf/" + v.host.name + "/accept_ra", "0", true);
    nl.linkUp(v.host.name);
    try {
      nl.setMaster(v.host.name, bridgeIndex);
    } catch (const std::exception& e) {
      fail("failed to connect \"" + v.host.name + "\" to bridge: " + e.what());
    }
    try {
      nl.setHairpin(host->index, hairpin);
    } catch (const std::exception& e) {
      fail("failed to setup hairpin mode for " + v.host.name + ": " + e.what());
    }
    if (vlan != 0) {
      try {
        nl.bridgeVlanAdd(host->index, vlan, true, true);
      } catch (const std::exception& e) {
        fail("failed to setup vlan tag on interface \"" + v.host.name + "\": " + e.what());
      }
    }
  } catch (...) {
    nl.deleteLink(v.host.name);  // its container end goes with it
    throw;
  }
  return v;
}

// calcGateways: every address is on the container interface (index 2); without an IPAM
// gateway a gateway bridge takes subnet+1; isDefaultGateway adds a default route per family
// unless IPAM gave one with a gateway. Returns the bridge's addresses (gateway/prefix).
std::vector<Prefix> calcGateways(pc::Result& result, const Config& c) {
  std::vector<Prefix> gateways;
  bool defaultFound[2] = {false, false};
  for (pc::IpConfig& ipc : result.ips) {
    const Prefix addr = *Prefix::parse(ipc.address);
    const bool v6 = addr.ip.family == AF_INET6;
    ipc.interface = 2;
    if (ipc.gateway.empty() && c.isGateway) {
      ipc.gateway = addr.network().step(1).str();
    }
    const std::string defaultDst = v6 ? "::/0" : "0.0.0.0/0";
    if (c.isDefaultGateway && !defaultFound[v6]) {
      for (const pc::Route& route : result.routes) {
        if (!route.gw.empty() && Prefix::parse(route.dst) &&
            Prefix::parse(route.dst)->str() == defaultDst) {
          defaultFound[v6] = true;
        }
      }
      if (!defaultFound[v6]) {
        pc::Route route;
        route.dst = defaultDst;
        route.gw = ipc.gateway;
        result.routes.push_back(route);
        defaultFound[v6] = true;
      }
    }
    if (c.isGateway) {
      if (auto gw = Ip::parse(ipc.gateway)) {
        gateways.push_back({*gw, addr.length});
      }
    }
  }
  return gateways;
}

// ensureAddr: `gw` on the interface, replacing (forceAddress) or refusing a different IPv4
// address or an overlapping IPv6 one; then the interface's MAC pinned to `mac` so a bridge
// stops following its lowest port's. The reference pins the MAC the bridge had before this
// ADD's port joined (its link object is read before), and so do we.
void ensureAddr(cni::Netlink& nl, const std::string& name, const Prefix& gw, bool force,
                const std::string& mac) {
  const auto link = nl.link(name);
  if (!link) {
    fail("could not lookup \"" + name + "\": Link not found");
  }
  bool present = false;
  for (const Prefix& a : nl.addresses(link->index)) {
    if (a.ip.family != gw.ip.family) {
      continue;
    }
    if (a.ip == gw.ip && a.length == gw.length) {
      present = true;
      continue;
    }
    const Prefix mine{gw.ip, gw.length};
    if (gw.ip.family == AF_INET || a.contains(gw.ip) || mine.contains(a.ip)) {
      if (!force) {
        fail("\"" + name + "\" already has an IP address different from " + gw.str());
      }
      nl.deleteAddress(link->index, a);
    }
  }
  if (present) {
    return;
  }
  nl.addAddress(link->index, gw);
  nl.setMac(name, mac.empty() ? link->mac : mac);
}

// The `<bridge>.<vlan>` veth of a gateway on a VLAN bridge, created in the host netns.
std::string ensureVlanInterface(const sdk::NetContext& ctx, cni::Netlink& nl, const Config& c,
                                int bridgeIndex, std::vector<pc::Interface>& interfaces) {
  const std::string name = c.bridge + "." + std::to_string(c.vlan);
  if (!nl.link(name)) {
    try {
      setupVeth(ctx.hostNetns(), ctx.hostNetns(), bridgeIndex, name, c.mtu, false, c.vlan, "");
      nl.linkUp(name);
    } catch (const std::exception& e) {
      fail(std::string("failed to create vlan interface: ") + e.what());
    }
  }
  interfaces.push_back({name, nl.linkMac(name), "", std::nullopt});
  return name;
}

// Waits for the host end to be operationally up, as the reference (0, 50, 500, 1000, 1000 ms).
void waitPortUp(cni::Netlink& nl, const std::string& hostVeth) {
  for (int sleepMs : {0, 50, 500, 1000, 1000}) {
    std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));
    const auto link = nl.link(hostVeth);
    if (!link) {
      fail("failed to lookup \"" + hostVeth + "\": Link not found");
    }
    if (link->operUp) {
      return;
    }
  }
  fail("bridge port in error state: down");
}

// Deletes the container interface (its host end goes with it); its addresses, for ipMasq.
void deleteContainerLink(const sdk::NetContext& ctx, const std::string& ifName) {
  cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
  cni::Netlink().deleteLink(ifName);
}

}  // namespace

pc::Result Bridge::add(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config c = parseConfig(r);
  if (c.macSpoofCheck) {
    // The reference's nftables bridge-family rules are not in rkt_support_netfilter.
    throw pc::Failure(pc::kUnsupportedField,
                      "bridge: macspoofchk is not supported by the in-process bridge");
  }
  if (c.hairpin && c.promisc) {
    fail("cannot set hairpin mode and promiscuous mode at the same time.");
  }
  if (ctx.containerNetns() < 0) {
    throw pc::Failure(pc::kInvalidEnvironment, "required env variables [CNI_NETNS] missing");
  }
  cni::Netlink nl;
  const bool bridgeCreated = ensureBridge(nl, c);
  const int bridgeIndex = nl.linkIndex(c.bridge);
  const std::string bridgeMac = nl.linkMac(c.bridge);
  bool vethCreated = false;
  bool ipamDone = false;
  try {
    Veth veth = setupVeth(ctx.containerNetns(), ctx.hostNetns(), bridgeIndex, r.ifName, c.mtu,
                          c.hairpin, c.vlan, c.common.mac);
    vethCreated = true;
    veth.container.sandbox = r.netns;
    pc::Result result;
    result.cniVersion = r.cniVersion;
    result.interfaces = {{c.bridge, "", "", std::nullopt}, veth.host, veth.container};
    if (!c.common.ipamType.empty()) {
      const pc::Result ipam = cni::ipamAdd(ctx, r);
      ipamDone = true;
      result.ips = ipam.ips;
      result.routes = ipam.routes;
      const std::vector<Prefix> gateways = calcGateways(result, c);
      {
        cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
        const std::string v6 = "net/ipv6/conf/" + r.ifName + "/";
        if (c.enableDad) {
          cni::writeSysctl(v6 + "enhanced_dad", "1", true);
          cni::writeSysctl(v6 + "accept_dad", "1", true);
        } else {
          cni::writeSysctl(v6 + "accept_dad", "0", true);
        }
        cni::writeSysctl("net/ipv4/conf/" + r.ifName + "/arp_notify", "1", true);
        cni::configureIface(r.ifName, result);
      }
      waitPortUp(nl, veth.host.name);
      if (c.isGateway) {
        const std::string gwIface =
            c.vlan != 0 ? ensureVlanInterface(ctx, nl, c, bridgeIndex, result.interfaces)
                        : c.bridge;
        for (const Prefix& gw : gateways) {
          try {
            ensureAddr(nl, gwIface, gw, c.forceAddress, c.vlan != 0 ? "" : bridgeMac);
          } catch (const std::exception& e) {
            fail(std::string(c.vlan != 0 ? "failed to set vlan interface for bridge with addr: "
                                         : "failed to set bridge addr: ") +
                 e.what());
          }
          cni::writeSysctl(
              gw.ip.family == AF_INET6 ? "net/ipv6/conf/all/forwarding" : "net/ipv4/ip_forward",
              "1");
        }
      }
      if (c.ipMasq) {
        std::vector<std::string> addresses;
        for (const pc::IpConfig& ipc : result.ips) {
          addresses.push_back(ipc.address);
        }
        cni::setupIpMasq(r, addresses);
      }
    } else {
      cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
      cni::Netlink().linkUp(r.ifName);
    }
    // Re-read: the bridge's MAC changes with its first port or when its address pins it.
    result.interfaces[0].mac = nl.linkMac(c.bridge);
    result.dns = c.common.dns;  // 1.1.1: the config's, whatever IPAM said
    return result;
  } catch (...) {
    // Undo in reverse: the rules, the link (and so the host end), the allocation, the bridge
    // when this call created it and nothing else uses it.
    auto undo = [](const char* what, auto&& step) {
      try {
        step();
      } catch (const std::exception& e) {
        sdk::log(RKT_LOG_WARNING, std::string("rollback of ") + what + ": " + e.what());
      }
    };
    if (c.ipMasq && ipamDone) {
      undo("the masquerade", [&] { cni::teardownIpMasq(r); });
    }
    if (vethCreated) {
      undo("the container link", [&] { deleteContainerLink(ctx, r.ifName); });
    }
    if (ipamDone) {
      undo("the IPAM allocation", [&] { ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r); });
    }
    if (bridgeCreated) {  // and no other ADD has put a port on it meanwhile
      undo("the bridge", [&] {
        if (nl.portCount(bridgeIndex) == 0) {
          nl.deleteLink(c.bridge);
        }
      });
    }
    throw;
  }
}

void Bridge::del(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config c = parseConfig(r);
  if (ctx.containerNetns() >= 0) {
    deleteContainerLink(ctx, r.ifName);
  }
  if (!c.common.ipamType.empty()) {
    ctx.delegate(RKT_KIND_IPAM, RKT_CNI_DEL, r);
    // The rules go even when the netns (and the addresses) are gone: they are found by name.
    if (c.ipMasq) {
      cni::teardownIpMasq(r);
    }
  }
}
}  // namespace rkt::bridge
