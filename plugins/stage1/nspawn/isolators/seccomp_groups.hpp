// The seccomp groups the isolators and `--seccomp` may name (rkt-notes §6.7): rkt's and
// Docker's default allow- and deny-lists, and systemd's groups. rkt passed the `@systemd/*`
// ones to systemd inside the pod; the supervisor has no systemd, so their contents are kept
// here, as systemd 252's `systemd-analyze syscall-filter` lists them (nested groups expanded).
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_SECCOMP_GROUPS_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_SECCOMP_GROUPS_HPP

#include <optional>
#include <string>
#include <vector>

namespace rkt::nspawn {

/// The system calls of `@scope/name` (`@rkt/default-whitelist`, `@docker/default-blacklist`,
/// `@systemd/mount`, …), or nothing when there is no such group. `@appc.io/*` are not groups:
/// the caller handles them.
std::optional<std::vector<std::string>> seccompGroup(const std::string& group);

/// rkt's default allow-list (`@rkt/default-whitelist`, Docker's), with the calls a recent C
/// library makes at every start (seccomp_groups.cpp).
const std::vector<std::string>& rktDefaultWhitelist();

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_ISOLATORS_SECCOMP_GROUPS_HPP
