// Descriptor and registration of fetcher-appc.so.
#include "rkt/sdk/plugin.hpp"
#include "appc_fetcher.hpp"

#ifndef RKT_APPC_FETCHER_VERSION
#define RKT_APPC_FETCHER_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::appcfetcher::AppcFetcher>("appc");
}

}  // namespace

RKT_PLUGIN("appc", RKT_APPC_FETCHER_VERSION,
           "fetches images by appc name through meta discovery (ac-discovery)", "Apache-2.0",
           registerFactories)
