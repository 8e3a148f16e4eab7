// Incremental SHA-256 and SHA-512 over OpenSSL's EVP interface, and the ContentDigest of files:
// the digests import computes of a blob and extraction of each file it writes (FileDigests),
// shared with whoever must compute the same digests of the same bytes elsewhere (the cas
// store's tree hash). Linking rkt_support_archive brings libcrypto with them.
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
  /// The digest; call once, after the last update.
  std::array<std::uint8_t, 32> digest();
  /// Lowercase hex of the digest (instead of digest()); call once, after the last update.
  std::string hexDigest();

 private:
  EVP_MD_CTX* ctx_;
};

/// The digest of a regular file's content that holes cannot make expensive: SHA-256 over the
/// content cut into 4 KiB blocks, where every maximal run of all-zero blocks is hashed as its
/// count, not its bytes. It depends on the content only, never on how the file is laid out:
/// a hole and written zeros give the same digest. So an 8 GiB sparse file costs its data, not
/// 8 GiB of hashing (issue 9), at extraction (holes passed as updateZeros) and when the file
/// is read back (data segments read, holes skipped: DataSegments).
///
/// The stream hashed: for each maximal run of n zero blocks "Z" and n as 8 bytes little endian;
/// for each other whole block "D" and its 4096 bytes; for a last partial block "T" and its
/// bytes. Blocks are aligned to the start of the file.
class ContentDigest {
 public:
  static constexpr std::size_t kBlockSize = 4096;

  ContentDigest() = default;
  ContentDigest(const ContentDigest&) = delete;
  ContentDigest& operator=(const ContentDigest&) = delete;

  /// The next `len` bytes of the file.
  void update(const void* data, std::size_t len);
  /// The next `len` bytes are zeros (a hole): whole blocks cost nothing.
  void updateZeros(std::uint64_t len);
  /// The digest; call once, after the last update.
  std::array<std::uint8_t, 32> digest();

 private:
  void wholeBlock(const std::uint8_t* block);
  void flushZeroRun();

  Sha256 sha_;
  std::array<std::uint8_t, kBlockSize> partial_{};
  std::size_t partialLength_ = 0;
  std::uint64_t zeroBlocks_ = 0;  ///< whole zero blocks not hashed yet
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
