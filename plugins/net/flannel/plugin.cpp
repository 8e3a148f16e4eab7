// Descriptor and registration of net-flannel.so.
#include "rkt/sdk/plugin.hpp"
#include "flannel.hpp"

#ifndef RKT_FLANNEL_VERSION
#define RKT_FLANNEL_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::flannel::Flannel>("flannel");
}

}  // namespace

RKT_PLUGIN("flannel", RKT_FLANNEL_VERSION,
           "CNI flannel meta plugin in-process: subnet.env to a delegate network (bridge)",
           "Apache-2.0", registerFactories)
