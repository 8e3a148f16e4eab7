// Image keys, as the store protocol (rkt/abi/store.h) and rkt's store spell them: "sha512-" + the
// first 64 lowercase hex digits of the SHA-512 of the uncompressed image tar (rkt's hashToKey).
// An image ID the user types is a prefix of one. No dependency (no JSON), for any code that
// handles keys.
#ifndef RKT_SDK_PROTOCOL_IMAGE_KEY_HPP
#define RKT_SDK_PROTOCOL_IMAGE_KEY_HPP

#include <cstddef>
#include <string_view>

namespace rkt::protocol::store {

inline constexpr std::string_view kImageKeyPrefix = "sha512-";
inline constexpr std::size_t kImageKeyHexLength = 64;
inline constexpr std::size_t kImageKeyLength = kImageKeyPrefix.size() + kImageKeyHexLength;  // 71

}  // namespace rkt::protocol::store

#endif  // RKT_SDK_PROTOCOL_IMAGE_KEY_HPP
