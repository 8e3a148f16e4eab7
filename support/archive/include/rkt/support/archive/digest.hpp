// Incremental SHA-256 and SHA-512 over OpenSSL's EVP interface: the digests import computes of
// a blob and extraction of each file it writes (FileDigests), shared with whoever must compute
// the same digests of the same bytes elsewhere (the cas store's tree hash). Linking
// rkt_support_archive brings libcrypto with them.
#ifndef RKT_SUPPORT_ARCHIVE_DIGEST_HPP
#define RKT_SUPPORT_ARCHIVE_DIGEST_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace rkt::archive {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t len);
  /// `len` zero bytes (the holes of a sparse file read as zeros).
  void updateZeros(std::uint64_t len);
  /// The digest; call once, after the last update.
  std::array<std::uint8_t, 32> digest();

 private:
  EVP_MD_CTX* ctx_;
};

class Sha512 {
 public:
  Sha512();
  ~Sha512();
  Sha512(const Sha512&) = delete;
  Sha512& operator=(const Sha512&) = delete;

  void update(const void* data, std::size_t len);
  /// Lowercase hex of the digest; call once, after the last update.
  std::string hexDigest();

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_DIGEST_HPP
