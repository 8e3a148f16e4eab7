// Descriptor and registration of stage1-fly.so.
#include "rkt/sdk/plugin.hpp"
#include "fly_stage1.hpp"

#ifndef RKT_FLY_VERSION
#define RKT_FLY_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::fly::FlyStage1>("fly");
}

}  // namespace

RKT_PLUGIN("fly", RKT_FLY_VERSION,
           "stage1 flavor running one app per pod with chroot isolation and the host network",
           "Apache-2.0", registerFactories)
