// rkt-net-bridge-tests: drives net-bridge.so and ipam-host-local.so through the core's CniRunner on
// network namespaces the test creates (a scratch "host" netns and container netns; nothing
// touches the machine's own network). Exits 77 (skipped) when not root.
#include <unistd.h>

#include <iostream>

#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  if (::geteuid() != 0) {
    std::cerr << "skipping the bridge tests: they create network namespaces and need root\n";
    return 77;
  }
  return rkt::test::runFixtures(argc, argv);
}
