// rkt-net-flannel-tests: drives net-flannel.so, delegating to net-ptp.so and ipam-host-local.so,
// through the core's CniRunner on network namespaces the test creates (a scratch "host" netns
// and a container netns; nothing touches the machine's own network). Exits 77 when not root.
#include <unistd.h>

#include <iostream>

#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  if (::geteuid() != 0) {
    std::cerr << "skipping the flannel tests: they create network namespaces and need root\n";
    return 77;
  }
  return rkt::test::runFixtures(argc, argv);
}
