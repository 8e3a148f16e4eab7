#include "sha512.hpp"

#include <openssl/evp.h>

#include <new>

namespace rkt::archive::detail {

Sha512::Sha512() : ctx_(EVP_MD_CTX_new()) {
  // Only allocation can fail here; treat it like any other allocation failure.
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha512(), nullptr) != 1)
    throw std::bad_alloc();
}

Sha512::~Sha512() {
  EVP_MD_CTX_free(ctx_);
}

void Sha512::update(const void* data, std::size_t len) {
  if (len > 0)
    EVP_DigestUpdate(ctx_, data, len);
}

std::string Sha512::hexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_, md, &n);
  static const char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 0xf];
  }
  return out;
}

}  // namespace rkt::archive::detail
