// The plugin's descriptor and registration: the one symbol the .so exports.
#include <rkt/sdk/plugin.hpp>

#include "hello_fetcher.hpp"

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<hello::HelloFetcher>("hello");
}

}  // namespace

// The name must match the file name fetcher-<name>.so.
RKT_PLUGIN("hello", "1.0.0", "fetches hello:<text> images into a local file", "Apache-2.0",
           registerFactories)
