// Descriptor and registration of net-ptp.so.
#include "rkt/sdk/plugin.hpp"
#include "ptp.hpp"

#ifndef RKT_PTP_VERSION
#define RKT_PTP_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::ptp::Ptp>("ptp");
}

}  // namespace

RKT_PLUGIN("ptp", RKT_PTP_VERSION, "CNI ptp network type in-process: a veth pair per pod (libnl3)",
           "Apache-2.0", registerFactories)
