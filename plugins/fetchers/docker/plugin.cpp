// Descriptor and registration of fetcher-docker.so.
#include "rkt/sdk/plugin.hpp"
#include "docker_fetcher.hpp"

#ifndef RKT_DOCKER_FETCHER_VERSION
#define RKT_DOCKER_FETCHER_VERSION "0.0.0"
#endif

namespace {

void registerFactories(rkt::sdk::Registrar& reg) {
  reg.add<rkt::dockerfetcher::DockerFetcher>("docker");
}

}  // namespace

RKT_PLUGIN("docker", RKT_DOCKER_FETCHER_VERSION,
           "fetches docker:// images from registries (distribution API v2) as OCI image layouts",
           "Apache-2.0", registerFactories)
