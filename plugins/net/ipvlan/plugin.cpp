// Descriptor and registration of net-ipvlan.so.
#include "rkt/sdk/plugin.hpp"
#include "ipvlan.hpp"

#ifndef RKT_IPVLAN_VERSION
#define RKT_IPVLAN_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::ipvlan::Ipvlan>("ipvlan");
}

}  // namespace

RKT_PLUGIN("ipvlan", RKT_IPVLAN_VERSION,
           "CNI ipvlan network type in-process: a link on a host interface per pod (libnl3)",
           "Apache-2.0", registerFactories)
