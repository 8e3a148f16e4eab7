#include "hash_util.hpp"

// sha512Key uses OpenSSL's low-level SHA-512 functions, deprecated in OpenSSL 3 but still
// there: unlike EVP they do not initialise the provider machinery (~0.8 ms at first use), which
// `rkt run` would otherwise pay for the one small hash it needs (the tree store ID).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <utility>

#include "errors.hpp"

namespace rkt::cas {

Sha512::Sha512() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha512(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw Error(RKT_E_INTERNAL, "cannot initialise sha512");
  }
}

Sha512::~Sha512() {
  EVP_MD_CTX_free(ctx_);
}

Sha512::Sha512(Sha512&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

Sha512& Sha512::operator=(Sha512&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
  }
  return *this;
}

void Sha512::update(const void* data, std::size_t size) {
  if (size > 0 && EVP_DigestUpdate(ctx_, data, size) != 1) {
    throw Error(RKT_E_INTERNAL, "sha512 update failed");
  }
}

std::string Sha512::key() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, md, &len) != 1 || len < 32) {
    throw Error(RKT_E_INTERNAL, "sha512 final failed");
  }
  static const char* const kHex = "0123456789abcdef";
  std::string out = "sha512-";
  for (unsigned i = 0; i < 32; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw Error(RKT_E_INTERNAL, "cannot initialise sha256");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
}

void Sha256::update(const void* data, std::size_t size) {
  if (size > 0 && EVP_DigestUpdate(ctx_, data, size) != 1) {
    throw Error(RKT_E_INTERNAL, "sha256 update failed");
  }
}

std::string Sha256::digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, md, &len) != 1) {
    throw Error(RKT_E_INTERNAL, "sha256 final failed");
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string hexOf(std::string_view bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::string sha512Key(std::string_view bytes) {
  SHA512_CTX ctx;
  unsigned char md[SHA512_DIGEST_LENGTH];
  if (SHA512_Init(&ctx) != 1 || SHA512_Update(&ctx, bytes.data(), bytes.size()) != 1 ||
      SHA512_Final(md, &ctx) != 1) {
    throw Error(RKT_E_INTERNAL, "sha512 failed");
  }
  return "sha512-" + hexOf(std::string_view(reinterpret_cast<const char*>(md), 32));
}

}  // namespace rkt::cas
