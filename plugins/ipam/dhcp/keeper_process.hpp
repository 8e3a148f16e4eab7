// The plugin's side of a lease keeper (keeper/main.cpp): starting one for an ADD and reading its
// first lease, and stopping one (it releases the lease) for a DEL or GC, with a fallback
// RELEASE sent by the plugin itself when the keeper died (kill -9, OOM) before its DEL.
#ifndef RKT_PLUGINS_IPAM_DHCP_KEEPER_PROCESS_HPP
#define RKT_PLUGINS_IPAM_DHCP_KEEPER_PROCESS_HPP

#include <string>

#include "dhcp_config.hpp"
#include "lease.hpp"
#include "rkt/sdk/protocol/cni.hpp"

namespace rkt::dhcp {

/// Where the keeper executable is: `ipam-dhcp/dhcp-keeper` beside this plugin's module.
std::string keeperPath();

/// Whether the process the state names is still that keeper.
bool keeperAlive(const KeeperState& s);

/// Starts a keeper for `request` in the network namespace `netnsFd`, the state directory being
/// `stateDirFd` (`stateDir` its path, for the keeper's log), and returns the CNI result of its
/// first lease. Throws protocol::cni::Failure with the keeper's reason.
std::string startKeeper(const protocol::cni::Request& request, const Config& config, int netnsFd,
                        int stateDirFd, const std::string& stateDir);

/// Stops the keeper of `name` (SIGTERM: it releases the lease, then exits), or when it is gone
/// sends the RELEASE from `netnsFd` (-1: not possible, the lease expires at the server), then
/// removes its files. Nothing there is success.
void stopKeeper(const Config& config, int stateDirFd, const std::string& name, int netnsFd,
                int hostNetnsFd);

}  // namespace rkt::dhcp

#endif  // RKT_PLUGINS_IPAM_DHCP_KEEPER_PROCESS_HPP
