// Descriptor and registration of store-cas.so.
#include "rkt/sdk/plugin.hpp"
#include "cas_plugin_store.hpp"

#ifndef RKT_CAS_VERSION
#define RKT_CAS_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::cas::CasPluginStore>("cas");
}

}  // namespace

RKT_PLUGIN("cas", RKT_CAS_VERSION,
           "rkt's image store: $DATA/cas with an SQLite index, rendered trees", "Apache-2.0",
           registerFactories)
