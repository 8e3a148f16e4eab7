// Image keys ("sha512-" + 64 lowercase hex) and tree store IDs ("deps-" + an image-key-shaped
// hash), as rkt formats them.
#ifndef RKT_CAS_IMAGE_KEY_HPP
#define RKT_CAS_IMAGE_KEY_HPP

#include <string>
#include <string_view>

#include "rkt/sdk/protocol/image_key.hpp"

namespace rkt::cas {

// The key format is the store protocol's (rkt/sdk/protocol/store.hpp).
inline constexpr std::string_view kKeyPrefix = protocol::store::kImageKeyPrefix;
inline constexpr size_t kKeyHexLength = protocol::store::kImageKeyHexLength;
inline constexpr size_t kKeyLength = protocol::store::kImageKeyLength;
/// Shortest accepted image ID prefix: "sha512-" + 2 hex digits.
inline constexpr size_t kMinKeyPrefixLength = kKeyPrefix.size() + 2;

/// True for a complete store key: "sha512-" followed by exactly 64 lowercase hex digits.
bool isImageKey(std::string_view key);

/// True for a tree store ID: "deps-" followed by an image key.
bool isTreeId(std::string_view id);

/// Throws RKT_E_INVALID ("invalid image key `x`") unless isImageKey(key).
void requireImageKey(std::string_view key);

/// Throws RKT_E_INVALID unless isTreeId(id).
void requireTreeId(std::string_view id);

}  // namespace rkt::cas

#endif  // RKT_CAS_IMAGE_KEY_HPP
