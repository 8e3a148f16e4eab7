// Descriptor and registration of fetcher-aci-archive.so.
#include "rkt/sdk/plugin.hpp"
#include "aci_archive_fetcher.hpp"

#ifndef RKT_ACI_ARCHIVE_VERSION
#define RKT_ACI_ARCHIVE_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::aciarchive::AciArchiveFetcher>("aci-archive");
}

}  // namespace

RKT_PLUGIN("aci-archive", RKT_ACI_ARCHIVE_VERSION,
           "fetches ACI files from local paths, file:// and http(s):// URLs", "Apache-2.0",
           registerFactories)
