// rkt-net-ipvlan-tests: drives net-ipvlan.so and ipam-host-local.so through the core's
// CniRunner on network namespaces the test creates. Exits 77 (skipped) when not root, and when
// the kernel has no ipvlan after checking the one test that needs its absence (the error).
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  if (::geteuid() != 0) {
    std::cerr << "skipping the ipvlan tests: they create network namespaces and need root\n";
    return 77;
  }
  const bool haveIpvlan =
      std::system(
          "unshare -n sh -c 'ip link add rktp0 type veth peer name rktp1 && "
          "ip link add link rktp0 name rktiv0 type ipvlan' >/dev/null 2>&1") == 0;
  if (!haveIpvlan) {
    char suite[] = "IpvlanTest";
    char* args[] = {argv[0], suite, nullptr};
    setenv("RKT_TEST_NO_IPVLAN", "1", 1);
    const int status = rkt::test::runFixtures(2, args);
    std::cerr << "\nSKIP: this kernel has no ipvlan (CONFIG_IPVLAN): only the refusal was "
                 "tested, not the ipvlan networks themselves\n";
    return status == 0 ? 77 : status;
  }
  return rkt::test::runFixtures(argc, argv);
}
