#include <rkt/support/archive/digest.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <new>

namespace rkt::archive {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  // Only allocation can fail here; treat it like any other allocation failure.
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1)
    throw std::bad_alloc();
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
}

void Sha256::update(const void* data, std::size_t len) {
  if (len > 0)
    EVP_DigestUpdate(ctx_, data, len);
}

void Sha256::updateZeros(std::uint64_t len) {
  static const std::uint8_t kZeros[64 << 10] = {};
  while (len > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, sizeof kZeros));
    EVP_DigestUpdate(ctx_, kZeros, n);
    len -= n;
  }
}

std::array<std::uint8_t, 32> Sha256::digest() {
  std::array<std::uint8_t, 32> out{};
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_, out.data(), &n);
  return out;
}

}  // namespace rkt::archive

namespace rkt::archive {

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

}  // namespace rkt::archive
