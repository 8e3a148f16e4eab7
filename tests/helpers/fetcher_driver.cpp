// rkt-fetcher-driver: calls one fetcher plugin's `fetch` through the core's plugin registry,
// the way the rkt core does, so plugin tests need neither the CLI nor an image store.
//
//   rkt-fetcher-driver [--debug] PLUGIN_DIR FETCHER_NAME < request.json
//
// Prints the result JSON on stdout and exits 0. A failed fetch prints
//   fetch failed: status=<rkt_status> errno=<errno>: <message>
// on stderr and exits 1; a plugin that cannot be loaded or instantiated exits 2.
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

#include "rkt/abi/fetcher.h"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"

int main(int argc, char** argv) {
  int arg = 1;
  bool debug = false;
  if (arg < argc && std::strcmp(argv[arg], "--debug") == 0) {
    debug = true;
    ++arg;
  }
  if (argc - arg != 2) {
    std::cerr << "usage: rkt-fetcher-driver [--debug] PLUGIN_DIR FETCHER_NAME < request.json\n";
    return 2;
  }
  const std::string dir = argv[arg];
  const std::string name = argv[arg + 1];
  std::string request((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());

  rkt::plugin::setPluginDebugLogging(debug);
  rkt::plugin::PluginRegistry registry({dir});
  rkt::Result<rkt::plugin::Factory> factory = registry.get(RKT_KIND_FETCHER, name);
  if (!factory) {
    std::cerr << "cannot load fetcher `" << name << "`: " << factory.error().message << "\n";
    return 2;
  }
  rkt::Result<rkt::plugin::Instance> instance = factory->create("{}");
  if (!instance) {
    std::cerr << "cannot create fetcher `" << name << "`: " << instance.error().message << "\n";
    return 2;
  }

  rkt_error err;
  rkt_buffer out;
  rkt_status status =
      instance->call(err, &rkt_fetcher_ops::fetch, request.data(), request.size(), &out);
  if (status != RKT_OK) {
    std::cerr << "fetch failed: status=" << static_cast<int>(status) << " errno=" << err.sysErrno
              << ": " << err.message << "\n";
    return 1;
  }
  std::cout << out.bytes << "\n";
  return 0;
}
