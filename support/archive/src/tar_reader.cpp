#include "tar_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

namespace rkt::archive::detail {

TarReader::TarReader(ChunkStream& stream, Observer observer)
    : stream_(stream), observer_(std::move(observer)) {}

TarReader::~TarReader() {
  if (a_ != nullptr)
    archive_read_free(a_);
}

la_ssize_t TarReader::readCallback(struct archive* a, void* self, const void** buf) {
  auto* r = static_cast<TarReader*>(self);
  auto chunk = r->stream_.next();
  Status st;
  if (!chunk) {
    st = chunk.error();
  } else if (r->observer_ && chunk->size > 0) {
    st = r->observer_(*chunk);
  }
  if (!st) {
    r->ownError_ = st.error();
    archive_set_error(a, st.error().sysErrno != 0 ? st.error().sysErrno : EIO, "%s",
                      st.error().message.c_str());
    return -1;
  }
  *buf = chunk->data;
  return static_cast<la_ssize_t>(chunk->size);
}

Status TarReader::open() {
  a_ = archive_read_new();
  if (a_ == nullptr)
    return Error{"cannot initialize libarchive"};
  // Only tar (ustar, pax, GNU); decompression already happened in the stream.
  archive_read_support_format_tar(a_);
  if (archive_read_open(a_, this, nullptr, &TarReader::readCallback, nullptr) != ARCHIVE_OK) {
    return failure("not a tar archive");
  }
  return {};
}

Result<archive_entry*> TarReader::next() {
  archive_entry* entry = nullptr;
  int r = archive_read_next_header(a_, &entry);
  if (r == ARCHIVE_EOF)
    return static_cast<archive_entry*>(nullptr);
  // ARCHIVE_RETRY (a header failing its checksum) ranks above ARCHIVE_WARN but is an error.
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
    return failure("damaged tar archive");
  return entry;
}

Error TarReader::failure(const std::string& what) const {
  if (ownError_)
    return *ownError_;
  const char* msg = a_ != nullptr ? archive_error_string(a_) : nullptr;
  std::string m = msg != nullptr ? msg : "unknown error";
  // libarchive's messages are capitalised sentences; the house style is lowercase.
  if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z')) {
    m[0] = static_cast<char>(m[0] - 'A' + 'a');
  }
  return Error{what + ": " + m, a_ != nullptr ? archive_errno(a_) : 0};
}

Status TarReader::drain() {
  for (;;) {
    auto chunk = stream_.next();
    if (!chunk)
      return chunk.error();
    if (chunk->size == 0)
      return {};
    if (observer_) {
      if (auto st = observer_(*chunk); !st)
        return st;
    }
  }
}

}  // namespace rkt::archive::detail
