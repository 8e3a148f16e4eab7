// rkt-cni-loop: ADD then DEL of one network, RUNS times, through the core's CniRunner in this one
// process (plugins loaded once, as `rkt run` and `rkt gc` use them), for bench/cni-ptp.sh.
//   rkt-cni-loop CONF NETNS RUNS   (plugins from RKT_PLUGIN_PATH or next to the binary)
// Prints the milliseconds spent in ADD and in DEL; exits 1 with the CNI error on a failure.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/plugin/search_path.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: rkt-cni-loop CONF NETNS RUNS\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream conf;
  conf << in.rdbuf();
  const int netns = ::open(argv[2], O_RDONLY | O_CLOEXEC);
  if (netns < 0) {
    std::cerr << "rkt-cni-loop: cannot open `" << argv[2] << "`\n";
    return 1;
  }
  rkt::plugin::PluginRegistry registry(rkt::plugin::defaultSearchPath());
  rkt::net::CniRunner runner(registry, "/var/lib/cni/rkt-loop");
  rkt::protocol::cni::Request r;
  r.cniVersion = "1.0.0";
  r.name = "bench";
  r.containerId = "bench1";
  r.ifName = "eth0";
  r.netns = argv[2];
  r.config.text = conf.str();
  const int runs = std::atoi(argv[3]);
  double ms[2] = {0, 0};
  for (int i = 0; i < runs; ++i) {
    for (int op = 0; op < 2; ++op) {
      const auto start = std::chrono::steady_clock::now();
      const auto out = runner.run(RKT_KIND_NET, op == 0 ? RKT_CNI_ADD : RKT_CNI_DEL, r, netns);
      ms[op] += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
      if (!out.ok) {
        std::cerr << "rkt-cni-loop: " << out.message() << "\n";
        return 1;
      }
    }
  }
  std::cout << ms[0] << " " << ms[1] << "\n";
  return 0;
}
