// The calls of netfilter.hpp: a batch from rules.cpp, run by libnftables in one transaction.
#include "rkt/support/netfilter/netfilter.hpp"

#include "nft.hpp"
#include "rkt/support/netfilter/rules.hpp"

namespace rkt {
namespace netfilter {
namespace {

Status runBatch(const Result<std::string>& batch, const std::string& what) {
  if (!batch) {
    return batch.error();
  }
  auto out = Nft::current().run(*batch, what);
  if (!out) {
    return out.error();
  }
  return {};
}

}  // namespace

bool available() {
  return Nft::kernelHasNfTables();
}

Status addMasquerade(const MasqueradeSpec& spec) {
  return runBatch(masqueradeAddBatch(spec), "add the masquerade of container `" + spec.containerId +
                                                "` on network `" + spec.network + "`");
}

Status removeMasquerade(const std::string& network, const std::string& containerId) {
  if (auto st = validateContainerId(containerId); !st) {
    return st;
  }
  if (!available()) {
    return {};
  }
  return runBatch(
      removeTablesBatch({masqueradeTable(network, containerId)}),
      "remove the masquerade of container `" + containerId + "` on network `" + network + "`");
}

Status addPortForwarding(const PortForwardSpec& spec) {
  return runBatch(portForwardAddBatch(spec),
                  "add the port forwarding of container `" + spec.containerId + "`");
}

Status removePortForwarding(const std::string& containerId) {
  if (auto st = validateContainerId(containerId); !st) {
    return st;
  }
  if (!available()) {
    return {};
  }
  return runBatch(removeTablesBatch({portForwardTable(containerId)}),
                  "remove the port forwarding of container `" + containerId + "`");
}

Status removeAllForContainer(const std::string& containerId) {
  if (auto st = validateContainerId(containerId); !st) {
    return st;
  }
  if (!available()) {
    return {};
  }
  const std::string what = "remove the netfilter rules of container `" + containerId + "`";
  Nft& nft = Nft::current();
  auto listed = nft.run(listTablesBatch(), what);
  if (!listed) {
    return listed.error();
  }
  auto tables = tablesOfContainer(*listed, containerId);
  if (!tables) {
    return tables.error().wrap("cannot " + what);
  }
  if (tables->empty()) {
    return {};
  }
  auto removed = nft.run(removeTablesBatch(*tables), what);
  if (!removed) {
    return removed.error();
  }
  return {};
}

}  // namespace netfilter
}  // namespace rkt
