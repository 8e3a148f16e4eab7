// User and group resolution against the app image, as rkt does it (rkt-notes §6.2):
//   1. `root` -> 0, a decimal number -> that id;
//   2. an absolute path -> the owner (uid, resp. gid) of that file inside the app rootfs;
//   3. a name looked up in the image's /etc/passwd (resp. /etc/group);
//   4. otherwise `invalid user "<u>"` (resp. `invalid group "<g>"`).
#ifndef RKT_SUPPORT_APPEXEC_USERS_HPP
#define RKT_SUPPORT_APPEXEC_USERS_HPP

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rkt/support/appexec/root_dir.hpp"

namespace rkt::appexec {

/// The id of `name` in a passwd(5) or group(5) file's text (the third field); nullopt when the
/// name is not there or its id is not a number.
std::optional<std::uint32_t> lookupIdInDatabase(const std::string& text, const std::string& name);

/// A decimal id that fits uid_t and is not (uid_t)-1; nullopt otherwise.
std::optional<std::uint32_t> parseNumericId(const std::string& text);

/// Resolves an app's `user`. Throws RKT_E_INVALID `invalid user "<u>": <why>`.
uid_t resolveUser(const RootDir& root, const std::string& user);

/// Resolves an app's `group`. Throws RKT_E_INVALID `invalid group "<g>": <why>`.
gid_t resolveGroup(const RootDir& root, const std::string& group);

/// Both ids plus the supplementary groups the app runs with.
struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> supplementaryGids;
};

/// What resolveCredentials() needs to know about the app and its image.
struct CredentialsRequest {
  std::string user;
  std::string group;
  std::vector<std::uint32_t> supplementaryGids;
  /// The image was converted from a Docker image (annotation appc.io/docker/repository) ...
  bool convertedFromDocker = false;
  /// ... and its own app section named this user and group: an unresolvable group that equals
  /// both becomes the uid (Docker's "user without group" convention).
  std::string imageUser;
  std::string imageGroup;
};

Credentials resolveCredentials(const RootDir& root, const CredentialsRequest& request);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_USERS_HPP
