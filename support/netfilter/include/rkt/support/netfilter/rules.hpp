// The nftables JSON (libnftables' input) that netfilter.hpp's calls run: built here, without
// touching the kernel, so unit tests can check it. Names and comments are JSON strings, never
// spliced into nft's command language.
#ifndef RKT_SUPPORT_NETFILTER_RULES_HPP
#define RKT_SUPPORT_NETFILTER_RULES_HPP

#include <string>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/support/netfilter/netfilter.hpp"

namespace rkt {
namespace netfilter {

/// A table this library owns.
struct OwnedTable {
  std::string family;  ///< "inet" or "ip"
  std::string name;
  bool operator==(const OwnedTable& o) const { return family == o.family && name == o.name; }
};

/// Refuses what cannot be a CNI container id (CNI's `^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$`) or would
/// make a table name longer than nftables allows.
Status validateContainerId(const std::string& containerId);

/// `CNI-` + the first 24 hex digits of sha512(network + containerId): the reference plugins'
/// ipMasq chain name, kept for the chain inside the masquerade table.
std::string cniChainName(const std::string& network, const std::string& containerId);
/// The rules' comment: `name: <network> id: <containerId>` (the reference plugins' without the
/// double quotes, which nft cannot print back), at most 127 bytes.
std::string ruleComment(const std::string& network, const std::string& containerId);

OwnedTable masqueradeTable(const std::string& network, const std::string& containerId);
OwnedTable portForwardTable(const std::string& containerId);
/// rkt's chain names: RKT-PFWD-DNAT-<first 8 characters of the id>, RKT-PFWD-SNAT-<…>.
std::string dnatChainName(const std::string& containerId);
std::string snatChainName(const std::string& containerId);

/// The batch adding spec's masquerade (after removing an older one, atomically).
Result<std::string> masqueradeAddBatch(const MasqueradeSpec& spec);
/// The batch adding spec's port forwarding (after removing an older one, atomically).
Result<std::string> portForwardAddBatch(const PortForwardSpec& spec);
/// The batch removing tables; removing an absent table is not an error.
std::string removeTablesBatch(const std::vector<OwnedTable>& tables);

/// The batch listing tables.
std::string listTablesBatch();
/// The tables of `nft -j list tables` output that belong to containerId.
Result<std::vector<OwnedTable>> tablesOfContainer(const std::string& listOutput,
                                                  const std::string& containerId);

}  // namespace netfilter
}  // namespace rkt

#endif  // RKT_SUPPORT_NETFILTER_RULES_HPP
