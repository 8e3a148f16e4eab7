// rkt-net-cni-exec-tests: drives net-cni-exec.so through the core's CniRunner with CNI plugin
// scripts the tests write (no network change). Exits 77 (skipped) when not root: the plugin
// loader refuses plugins of a build tree it does not trust otherwise, as rkt does.
#include <unistd.h>

#include <iostream>

#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  if (::geteuid() != 0) {
    std::cerr << "skipping the cni-exec tests: they run as root, as rkt does\n";
    return 77;
  }
  return rkt::test::runFixtures(argc, argv);
}
