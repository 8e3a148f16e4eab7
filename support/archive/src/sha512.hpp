// Incremental SHA-512 over OpenSSL's EVP interface (internal).
#ifndef RKT_SUPPORT_ARCHIVE_SRC_SHA512_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_SHA512_HPP

#include <cstddef>
#include <string>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace rkt::archive::detail {

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

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_SHA512_HPP
