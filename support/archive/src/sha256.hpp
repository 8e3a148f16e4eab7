// Incremental SHA-256 over OpenSSL's EVP interface (internal): the per-file content digests
// extraction records for a caller that hashes the tree it wrote.
#ifndef RKT_SUPPORT_ARCHIVE_SRC_SHA256_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_SHA256_HPP

#include <array>
#include <cstddef>
#include <cstdint>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace rkt::archive::detail {

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

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_SHA256_HPP
