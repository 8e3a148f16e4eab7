// CNI CHECK of the bridge type, as the reference's cmdCheck: the bridge, the container veth,
// its host end on the bridge, then the container's addresses and routes.
#include <linux/if.h>

#include "bridge.hpp"
#include "config.hpp"
#include "rkt/support/cni/attach.hpp"
#include "rkt/support/cni/netlink.hpp"
#include "rkt/support/cni/netns.hpp"

namespace rkt::bridge {

namespace pc = protocol::cni;
using cni::fail;

void Bridge::check(const sdk::NetContext& ctx, const pc::Request& r) {
  const Config c = parseConfig(r);
  if (ctx.containerNetns() < 0) {
    fail("failed to open netns \"" + r.netns + "\": no such namespace");
  }
  if (!c.common.ipamType.empty()) {
    ctx.delegate(RKT_KIND_IPAM, RKT_CNI_CHECK, r);
  }
  const pc::Result prev = cni::prevResult(r);
  pc::Interface brMap;
  pc::Interface contMap;
  for (const pc::Interface& i : prev.interfaces) {
    if (i.name == c.bridge) {
      brMap = i;
    } else if (i.name == r.ifName && i.sandbox == r.netns) {
      contMap = i;
    }
  }
  cni::Netlink nl;
  // The bridge (validateCniBrInterface).
  if (brMap.name.empty()) {
    fail("Interface name missing ");
  }
  const auto br = nl.link(brMap.name);
  if (!br) {
    fail("Interface name " + brMap.name + " not found");
  }
  if (br->kind != "bridge") {
    fail("Interface " + brMap.name + " does not have link type of bridge");
  }
  if (!brMap.mac.empty() && brMap.mac != br->mac) {
    fail("Bridge interface " + brMap.name + " Mac doesn't match: " + brMap.mac);
  }
  const bool promisc = (br->flags & IFF_PROMISC) != 0;
  if (promisc != c.promisc) {
    fail("Bridge interface " + brMap.name + " configured Promisc Mode " +
         (c.promisc ? "true" : "false") +
         " doesn't match current state: " + (promisc ? "true" : "false") + " ");
  }
  if (contMap.sandbox != r.netns) {
    fail("Sandbox in prevResult " + contMap.sandbox +
         " doesn't match configured netns: " + r.netns);
  }
  // The container end (validateCniContainerInterface).
  cni::LinkInfo cont;
  {
    cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
    const auto l = cni::Netlink().link(contMap.name);
    if (!l) {
      fail("Interface name " + contMap.name + " not found");
    }
    if (l->kind != "veth") {
      fail("Error: Container interface " + l->name + " not of type veth");
    }
    if (!contMap.mac.empty() && contMap.mac != l->mac) {
      fail("Interface " + contMap.name + " Mac " + contMap.mac +
           " doesn't match container Mac: " + l->mac);
    }
    cont = *l;
  }
  // Its host end: a veth of the result whose peer is the container end, a port of the bridge.
  bool vethFound = false;
  for (const pc::Interface& i : prev.interfaces) {
    if (vethFound || i.name == brMap.name || i.name == contMap.name) {
      continue;
    }
    if (!i.sandbox.empty()) {
      fail("Interface " + i.name + " should not be in sandbox");
    }
    const auto l = nl.link(i.name);
    if (!l) {
      fail("Interface name " + i.name + " not found");
    }
    if (l->kind != "veth" || l->index != cont.peer || cont.index != l->peer ||
        l->master != br->index) {
      continue;
    }
    if (!i.mac.empty() && i.mac != l->mac) {
      fail("Interface " + i.name + " Mac doesn't match: " + i.mac + " not found");
    }
    vethFound = true;
  }
  if (!vethFound) {
    fail("CNI veth created for bridge " + c.bridge + " was not found");
  }
  cni::NetnsScope in(ctx.containerNetns(), ctx.hostNetns());
  cni::checkIface(r.ifName, prev);
}

}  // namespace rkt::bridge
