// Descriptor and registration of net-macvlan.so.
#include "rkt/sdk/plugin.hpp"
#include "macvlan.hpp"

#ifndef RKT_MACVLAN_VERSION
#define RKT_MACVLAN_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::macvlan::Macvlan>("macvlan");
}

}  // namespace

RKT_PLUGIN("macvlan", RKT_MACVLAN_VERSION,
           "CNI macvlan network type in-process: a link on a host interface per pod (libnl3)",
           "Apache-2.0", registerFactories)
