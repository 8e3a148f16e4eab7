// Descriptor and registration of stage1-nspawn.so.
#include "rkt/sdk/plugin.hpp"
#include "nspawn_stage1.hpp"

#ifndef RKT_NSPAWN_VERSION
#define RKT_NSPAWN_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::nspawn::NspawnStage1>("nspawn");
}

}  // namespace

RKT_PLUGIN("nspawn", RKT_NSPAWN_VERSION,
           "stage1 flavor running isolated multi-app pods in the host's systemd-nspawn",
           "Apache-2.0", registerFactories)
