// rkt-cni: rkt's in-process net and IPAM plugins as one CNI plugin binary (README.md).
//   CNI_COMMAND=ADD CNI_CONTAINERID=… CNI_NETNS=… CNI_IFNAME=eth0 CNI_PATH=… rkt-cni < conf
//   ln -s rkt-cni ptp      # then `ptp` is the ptp type, for runtimes that exec <dir>/<type>
// Options (for runtimes that can pass none, RKT_CNI_STATE_DIR): --state-dir=DIR, where each
// plugin gets its state directory (default /var/lib/cni/rkt).
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

#include "cni_dispatch.hpp"
#include "cni_invocation.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/plugin/search_path.hpp"

namespace {

std::string baseName(const char* argv0) {
  const char* slash = std::strrchr(argv0, '/');
  return slash != nullptr ? slash + 1 : argv0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rkt::cnitool;
  std::string stateDir = "/var/lib/cni/rkt";
  if (const char* env = std::getenv("RKT_CNI_STATE_DIR"); env != nullptr && *env != '\0') {
    stateDir = env;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--state-dir=", 0) == 0 && arg.size() > 12) {
      stateDir = arg.substr(12);
    } else {
      std::cerr << "rkt-cni: unknown argument `" << arg << "` (usage: rkt-cni [--state-dir=DIR])\n";
      return 2;
    }
  }
  const std::string invokedAs = argc > 0 ? baseName(argv[0]) : kToolName;
  const Parsed parsed = parseInvocation(
      [](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
      },
      [] {
        return std::string(std::istreambuf_iterator<char>(std::cin),
                           std::istreambuf_iterator<char>());
      });
  Output out;
  if (std::holds_alternative<About>(parsed)) {
    std::cerr << "CNI " << invokedAs << " plugin (rkt-cni, rkt's in-process plugins)\n"
              << "CNI protocol versions supported: ";
    const auto& versions = rkt::protocol::cni::supportedVersions();
    for (std::size_t i = 0; i < versions.size(); ++i) {
      std::cerr << (i == 0 ? "" : ", ") << versions[i];
    }
    std::cerr << "\n";
    return 0;
  }
  if (const auto* e = std::get_if<rkt::protocol::cni::ErrorObject>(&parsed)) {
    out = failed(*e);
  } else {
    const Invocation& inv = std::get<Invocation>(parsed);
    if (inv.command == "VERSION") {
      out = {0, versionAnswer()};
    } else {
      rkt::plugin::PluginRegistry registry(rkt::plugin::defaultSearchPath());
      out = dispatch(inv, invokedAs, registry, stateDir);
    }
  }
  std::cout << out.out << std::flush;
  return out.exitCode;
}
