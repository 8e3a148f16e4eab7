#include "hash_util.hpp"

// The streaming digests (tree hash, content digests) over OpenSSL's EVP: part of the archive
// helper (store-cas/archive.so), with the tree hash; sha512Key and hexOf are in key_hash.cpp.
#include <openssl/evp.h>

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

}  // namespace rkt::cas
