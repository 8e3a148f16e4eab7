// SHA-512 as the store formats it: "sha512-" + the first 64 hex digits (rkt's hashToKey).
#ifndef RKT_CAS_HASH_UTIL_HPP
#define RKT_CAS_HASH_UTIL_HPP

#include <cstddef>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace rkt::cas {

/// Incremental SHA-512 (OpenSSL). Move-only.
class Sha512 {
 public:
  Sha512();
  ~Sha512();
  Sha512(Sha512&& other) noexcept;
  Sha512& operator=(Sha512&& other) noexcept;
  Sha512(const Sha512&) = delete;
  Sha512& operator=(const Sha512&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  /// "sha512-" + first 64 hex digits. Ends the computation.
  std::string key();

 private:
  evp_md_ctx_st* ctx_;
};

/// Incremental SHA-256 (OpenSSL): the per-file content digests of the tree hash.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  /// The 32 bytes of the digest. Ends the computation.
  std::string digest();

 private:
  evp_md_ctx_st* ctx_;
};

/// Lowercase hex of `bytes`.
std::string hexOf(std::string_view bytes);

/// sha512Key(bytes) == "sha512-" + first 64 hex digits of SHA-512(bytes). For small inputs
/// (tree store IDs): it avoids OpenSSL's EVP initialisation.
std::string sha512Key(std::string_view bytes);

}  // namespace rkt::cas

#endif  // RKT_CAS_HASH_UTIL_HPP
