#include <rkt/support/archive/digest.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
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

namespace {

// Lowercase hex of a finished digest.
std::string finalHex(EVP_MD_CTX* ctx) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, md, &n);
  static const char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (unsigned int i = 0; i < n; ++i) {
    out[2 * i] = kHex[md[i] >> 4];
    out[2 * i + 1] = kHex[md[i] & 0xf];
  }
  return out;
}

}  // namespace

std::string Sha256::hexDigest() {
  return finalHex(ctx_);
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
  return finalHex(ctx_);
}

}  // namespace rkt::archive

namespace rkt::archive {
namespace {

const std::uint8_t kZeroBlock[ContentDigest::kBlockSize] = {};

}  // namespace

void ContentDigest::flushZeroRun() {
  if (zeroBlocks_ == 0)
    return;
  std::uint8_t record[9] = {'Z'};
  for (int i = 0; i < 8; ++i)
    record[1 + i] = static_cast<std::uint8_t>(zeroBlocks_ >> (8 * i));
  sha_.update(record, sizeof record);
  zeroBlocks_ = 0;
}

void ContentDigest::wholeBlock(const std::uint8_t* block) {
  if (std::memcmp(block, kZeroBlock, kBlockSize) == 0) {
    ++zeroBlocks_;
    return;
  }
  flushZeroRun();
  const std::uint8_t tag = 'D';
  sha_.update(&tag, 1);
  sha_.update(block, kBlockSize);
}

void ContentDigest::update(const void* data, std::size_t len) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (len > 0) {
    if (partialLength_ == 0 && len >= kBlockSize) {
      wholeBlock(p);  // straight from the caller's buffer
      p += kBlockSize;
      len -= kBlockSize;
      continue;
    }
    const std::size_t n = std::min(len, kBlockSize - partialLength_);
    std::memcpy(partial_.data() + partialLength_, p, n);
    partialLength_ += n;
    p += n;
    len -= n;
    if (partialLength_ == kBlockSize) {
      wholeBlock(partial_.data());
      partialLength_ = 0;
    }
  }
}

void ContentDigest::updateZeros(std::uint64_t len) {
  if (partialLength_ > 0) {
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(len, kBlockSize - partialLength_));
    update(kZeroBlock, n);
    len -= n;
  }
  zeroBlocks_ += len / kBlockSize;  // the block is empty here, or len is 0
  update(kZeroBlock, static_cast<std::size_t>(len % kBlockSize));
}

std::array<std::uint8_t, 32> ContentDigest::digest() {
  flushZeroRun();
  if (partialLength_ > 0) {
    const std::uint8_t tag = 'T';
    sha_.update(&tag, 1);
    sha_.update(partial_.data(), partialLength_);
  }
  return sha_.digest();
}

}  // namespace rkt::archive
