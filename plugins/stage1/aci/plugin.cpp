// Descriptor and registration of stage1-aci.so.
#include "rkt/sdk/plugin.hpp"
#include "aci_stage1.hpp"

#ifndef RKT_ACI_VERSION
#define RKT_ACI_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::aci::AciStage1>("aci");
}

}  // namespace

RKT_PLUGIN("aci", RKT_ACI_VERSION,
           "stage1 flavor running classic rkt stage1 images through their entrypoints",
           "Apache-2.0", registerFactories)
