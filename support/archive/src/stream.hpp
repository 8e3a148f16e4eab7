// The decompressed byte stream under both import and extraction (internal).
//
// A Decoder turns a descriptor into uncompressed bytes: the compression is detected from the
// first bytes (gzip through zlib so the CRC-32 trailer is verified; bzip2 and xz through
// libarchive's filters; anything else passes through as a tar). A ChunkStream hands those bytes to
// the consumer in large chunks, optionally decoding in a second thread so that decompression
// overlaps hashing, writing and tar parsing.
#ifndef RKT_SUPPORT_ARCHIVE_SRC_STREAM_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_STREAM_HPP

#include <rkt/base/result.hpp>
#include <rkt/support/archive/digest.hpp>
#include <rkt/support/archive/import.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace rkt::archive::detail {

/// A view of bytes owned by someone else.
struct Bytes {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

/// Produces the uncompressed bytes of one input.
class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Fills `buf` with up to `cap` bytes; returns 0 only at the end of the stream.
  virtual Result<std::size_t> fill(std::uint8_t* buf, std::size_t cap) = 0;
};

/// Reads the first bytes of `fd`, detects the compression and returns the matching decoder.
/// Errors: empty input, read errors, a compression appc does not allow (zstd, ...).
Result<std::unique_ptr<Decoder>> openDecoder(int fd, Compression* detected);

/// The consumer's side: consecutive chunks of the uncompressed stream.
class ChunkStream {
 public:
  virtual ~ChunkStream() = default;
  /// The next chunk, valid until the next call; an empty chunk means the end (and repeats).
  virtual Result<Bytes> next() = 0;
};

struct StreamOptions {
  /// Decode in a producer thread (worth it when decoding is expensive).
  bool threaded = false;
  /// If set, every chunk is hashed by the producer before it is handed over.
  Sha512* producerHash = nullptr;
};

std::unique_ptr<ChunkStream> makeChunkStream(std::unique_ptr<Decoder> decoder,
                                             const StreamOptions& options);

/// Chunk size: large, so per-chunk costs (locking, syscalls, digest calls) vanish.
constexpr std::size_t kChunkSize = 1u << 20;

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_STREAM_HPP
