// rkt-ipam-dhcp-tests: drives ipam-dhcp.so through the core's CniRunner against dnsmasq in
// network namespaces the test creates (nothing touches the machine's own network). Exits 77
// (skipped) when not root or without dnsmasq.
#include <unistd.h>

#include <iostream>

#include "run_fixtures.hpp"

int main(int argc, char** argv) {
  if (::geteuid() != 0) {
    std::cerr << "skipping the dhcp tests: they create network namespaces and need root\n";
    return 77;
  }
  if (::access("/usr/sbin/dnsmasq", X_OK) != 0) {
    std::cerr << "skipping the dhcp tests: /usr/sbin/dnsmasq missing (Debian dnsmasq-base)\n";
    return 77;
  }
  return rkt::test::runFixtures(argc, argv);
}
