// Descriptor and registration of ipam-dhcp.so.
#include "rkt/sdk/plugin.hpp"
#include "dhcp.hpp"

#ifndef RKT_DHCP_VERSION
#define RKT_DHCP_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::dhcp::Dhcp>("dhcp");
}

}  // namespace

RKT_PLUGIN("dhcp", RKT_DHCP_VERSION,
           "CNI dhcp IPAM in-process: a lease per pod kept renewed by a keeper process",
           "Apache-2.0", registerFactories)
