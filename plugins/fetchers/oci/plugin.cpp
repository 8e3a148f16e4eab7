// Descriptor and registration of fetcher-oci.so and fetcher-oci-archive.so: one source, two
// modules, because rkt opens the fetcher of scheme S as fetcher-S.so (docs/plugins.md).
#include "rkt/sdk/plugin.hpp"
#include "oci_fetcher.hpp"

#ifndef RKT_OCI_VERSION
#define RKT_OCI_VERSION "0.0.0"
#endif
#ifndef RKT_OCI_SCHEME
#error "RKT_OCI_SCHEME must name the scheme (oci or oci-archive)"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::ocifetch::OciFetcher>(RKT_OCI_SCHEME);
}

}  // namespace

RKT_PLUGIN(RKT_OCI_SCHEME, RKT_OCI_VERSION,
           "fetches OCI images from image layouts (oci:PATH[:REF]) and their archives "
           "(oci-archive:FILE[:REF])",
           "Apache-2.0", registerFactories)
