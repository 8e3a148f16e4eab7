// Image arguments of the `rkt image` commands (rkt's getStoreKeyFromAppOrHash): an image ID
// prefix or an appc image name, resolved in the store only.
#ifndef RKT_CORE_IMAGE_RESOLVE_HPP
#define RKT_CORE_IMAGE_RESOLVE_HPP

#include <string>
#include <vector>

#include "rkt/core/image/store_client.hpp"
#include "rkt/core/result.hpp"

namespace rkt::image {

/// The key of `arg`: an ID (any unique prefix of at least `sha512-XX`, longer input truncated
/// to a full key) or `name[:version][,label=value…]` (rkt's GetACI rules, no os/arch
/// defaults). Errors in rkt's words: "cannot get image ID from the given hash: cannot resolve
/// image ID \"…\": no image IDs found", "cannot find image: cannot find aci satisfying name:
/// \"…\" and labels: … in the local store".
Result<std::string> resolveImageArg(const StoreClient& store, const std::string& arg);

/// Every stored image whose name is exactly `name` (rkt's ResolveName, for `image rm NAME`).
Result<std::vector<std::string>> keysForName(const StoreClient& store, const std::string& name);

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_RESOLVE_HPP
