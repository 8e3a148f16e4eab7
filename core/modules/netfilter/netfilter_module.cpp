// support/netfilter (libnftables) behind the core's pod rules (core/src/net/pod_rules.cpp):
// only `rkt run` of a pod with forwarded ports and the gc of a pod that had networks map
// libnftables and its stack, not every rkt start. Same build as the core: C++ types cross. The
// table's layout is shared with the core through core/src/net/netfilter_module.hpp.
#include "net/netfilter_module.hpp"

namespace {

rkt::net::detail::NetfilterModule makeTable() {
  rkt::net::detail::NetfilterModule m;
  m.available = &rkt::netfilter::available;
  m.addPortForwarding = &rkt::netfilter::addPortForwarding;
  m.removeAllForContainer = &rkt::netfilter::removeAllForContainer;
  m.enableRouteLocalnet = &rkt::netfilter::enableRouteLocalnet;
  return m;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const rkt::net::detail::NetfilterModule*
rkt_internal_netfilter_v1() {
  static const rkt::net::detail::NetfilterModule table = makeTable();
  return &table;
}
