// Descriptor and registration of net-bridge.so.
#include "rkt/sdk/plugin.hpp"
#include "bridge.hpp"

#ifndef RKT_BRIDGE_VERSION
#define RKT_BRIDGE_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::bridge::Bridge>("bridge");
}

}  // namespace

RKT_PLUGIN("bridge", RKT_BRIDGE_VERSION,
           "CNI bridge network type in-process: veth pairs on a host bridge (libnl3)", "Apache-2.0",
           registerFactories)
