// The files a lease's keeper and the plugin share under the plugin's state directory (opened
// once as a descriptor, so both find them whatever mount namespace they run in): the state
// (`<network>/<container id>+<ifname>.json`, written whole by rename) and the keeper's log
// (the same name with `.log`).
#ifndef RKT_PLUGINS_IPAM_DHCP_KEEPER_FILES_HPP
#define RKT_PLUGINS_IPAM_DHCP_KEEPER_FILES_HPP

#include <optional>
#include <string>

#include "lease.hpp"

namespace rkt::dhcp {

/// Writes `state` to `name` relative to `dirFd` atomically. Throws std::runtime_error.
void writeState(int dirFd, const std::string& name, const KeeperState& state);
/// nullopt when the file does not exist; throws sdk::Error when it cannot be read or parsed.
std::optional<KeeperState> readState(int dirFd, const std::string& name);
/// Removes the state and the log; absent files are fine.
void removeStateFiles(int dirFd, const std::string& name);
std::string logFileName(const std::string& stateName);

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_KEEPER_FILES_HPP
