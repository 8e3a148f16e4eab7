// A libarchive tar reader fed from a ChunkStream (internal). The stream's chunks are handed to
// libarchive without copying; an optional observer sees every byte of the stream exactly once,
// in order — including what follows the end-of-archive marker once drain() is called — which is
// how the importer hashes and stores the very bytes it parses.
#ifndef RKT_SUPPORT_ARCHIVE_SRC_TAR_READER_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_TAR_READER_HPP

#include "stream.hpp"

#include <rkt/base/result.hpp>

#include <archive.h>

#include <functional>
#include <optional>
#include <string>

namespace rkt::archive::detail {

class TarReader {
 public:
  using Observer = std::function<Status(const Bytes&)>;

  TarReader(ChunkStream& stream, Observer observer);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  Status open();
  /// The next header, or nullptr at the end of the archive.
  Result<archive_entry*> next();
  struct archive* handle() {
    return a_;
  }
  /// The error for a failed libarchive call: the stream's or the observer's own error when one
  /// caused it, else libarchive's message prefixed with `what`.
  Error failure(const std::string& what) const;
  /// Pulls whatever follows the archive's end through the observer, up to the stream's end.
  Status drain();

 private:
  static la_ssize_t readCallback(struct archive* a, void* self, const void** buf);

  ChunkStream& stream_;
  Observer observer_;
  struct archive* a_ = nullptr;
  std::optional<Error> ownError_;
};

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_TAR_READER_HPP
