// Descriptor and registration of ipam-host-local.so.
#include "rkt/sdk/plugin.hpp"
#include "host_local.hpp"

#ifndef RKT_HOST_LOCAL_VERSION
#define RKT_HOST_LOCAL_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::hostlocal::HostLocal>("host-local");
}

}  // namespace

RKT_PLUGIN("host-local", RKT_HOST_LOCAL_VERSION,
           "CNI host-local IPAM in-process: ranges, leases in /var/lib/cni/networks", "Apache-2.0",
           registerFactories)
