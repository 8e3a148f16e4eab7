// `--private-users` (rkt-notes §1.7, docs/user-namespaces.md): the pod's range of host uids and
// gids, chosen at prepare and recorded in $POD/private-users-prepared ("<shift>:<count>") for
// run-prepared, the stage1, enter and export.
#ifndef RKT_CORE_POD_PRIVATE_USERS_HPP
#define RKT_CORE_POD_PRIVATE_USERS_HPP

#include <cstdint>
#include <optional>
#include <string>

#include "rkt/core/pod/pod_dirs.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

/// A pod's user namespace: ids 0..count-1 inside are shift..shift+count-1 on the host.
struct UidRange {
  std::uint32_t shift = 0;
  std::uint32_t count = 0;
};

/// rkt's range size.
inline constexpr std::uint32_t kPrivateUsersCount = 65536;

/// Parses "<shift>:<count>" (surrounding whitespace allowed).
Result<UidRange> parseUidRange(const std::string& text);
/// "<shift>:<count>", as private-users-prepared holds it.
std::string formatUidRange(const UidRange& range);

/// The range recorded in the pod directory `podDirFd`; nullopt when the pod has none.
Result<std::optional<UidRange>> readPrivateUsers(int podDirFd);

/// A new random range of kPrivateUsersCount ids starting at a multiple of 65536 inside systemd's
/// container range (0x00080000–0x6FFFFFFF), different from every range the pods under `dirs`
/// recorded. The caller holds the prepare lock, so two prepares do not pick the same one.
Result<UidRange> choosePrivateUsers(const PodDirs& dirs);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_PRIVATE_USERS_HPP
