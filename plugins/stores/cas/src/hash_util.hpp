// SHA-512 as the store formats it: "sha512-" + the first 64 hex digits (rkt's hashToKey), for
// what the plugin hashes itself, without OpenSSL (key_hash.cpp). The streaming digests of the
// tree hash are rkt::archive's (rkt/support/archive/digest.hpp), the ones extraction computes.
#ifndef RKT_CAS_HASH_UTIL_HPP
#define RKT_CAS_HASH_UTIL_HPP

#include <string>
#include <string_view>

namespace rkt::cas {

/// Lowercase hex of `bytes`.
std::string hexOf(std::string_view bytes);

/// sha512Key(bytes) == "sha512-" + first 64 hex digits of SHA-512(bytes). For the tree store
/// IDs and tree fingerprints: it avoids mapping libcrypto and OpenSSL's EVP initialisation.
std::string sha512Key(std::string_view bytes);

}  // namespace rkt::cas

#endif  // RKT_CAS_HASH_UTIL_HPP
