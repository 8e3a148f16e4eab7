#include "stream.hpp"

#include <rkt/support/posix/errno_text.hpp>
#include <rkt/support/posix/file_io.hpp>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace rkt::archive::detail {
namespace {

constexpr std::size_t kInputSize = 1u << 20;

/// The input descriptor, with the bytes already consumed for detection put back in front.
class FdInput {
 public:
  FdInput(int fd, std::vector<std::uint8_t> prefix) : fd_(fd), prefix_(std::move(prefix)) {}

  Result<std::size_t> read(std::uint8_t* buf, std::size_t cap) {
    if (pos_ < prefix_.size()) {
      std::size_t n = std::min(cap, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    ssize_t n = posix::readSome(fd_, buf, cap);
    if (n < 0)
      return sysError("read error");
    return static_cast<std::size_t>(n);
  }

 private:
  int fd_;
  std::vector<std::uint8_t> prefix_;
  std::size_t pos_ = 0;
};

class PlainDecoder : public Decoder {
 public:
  explicit PlainDecoder(FdInput in) : in_(std::move(in)) {}

  Result<std::size_t> fill(std::uint8_t* buf, std::size_t cap) override {
    std::size_t got = 0;
    while (got < cap && !eof_) {
      auto n = in_.read(buf + got, cap - got);
      if (!n)
        return n.error();
      if (*n == 0)
        eof_ = true;
      got += *n;
    }
    return got;
  }

 private:
  FdInput in_;
  bool eof_ = false;
};

// gzip with zlib rather than libarchive: zlib's gzip mode checks each member's CRC-32 and
// length, so a damaged image is refused instead of being imported under another key.
class GzipDecoder : public Decoder {
 public:
  explicit GzipDecoder(FdInput in) : in_(std::move(in)), input_(new std::uint8_t[kInputSize]) {
    std::memset(&z_, 0, sizeof z_);
  }
  ~GzipDecoder() override {
    if (initialized_)
      inflateEnd(&z_);
  }

  Status init() {
    if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK)
      return Error{"cannot initialize zlib"};
    initialized_ = true;
    return {};
  }

  Result<std::size_t> fill(std::uint8_t* buf, std::size_t cap) override {
    z_.next_out = buf;
    z_.avail_out = static_cast<uInt>(cap);
    while (z_.avail_out > 0 && !finished_) {
      if (z_.avail_in == 0 && !inputEof_) {
        auto n = in_.read(input_.get(), kInputSize);
        if (!n)
          return n.error();
        if (*n == 0) {
          inputEof_ = true;
        } else {
          z_.next_in = input_.get();
          z_.avail_in = static_cast<uInt>(*n);
        }
        continue;
      }
      if (betweenMembers_) {
        if (z_.avail_in == 0) {
          finished_ = true;
          break;
        }
        // Zero padding after the last member is tolerated (some writers pad to a block size);
        // anything else must be the next member of a multi-member file.
        while (z_.avail_in > 0 && *z_.next_in == 0) {
          ++z_.next_in;
          --z_.avail_in;
          sawPadding_ = true;
        }
        if (z_.avail_in == 0)
          continue;
        if (sawPadding_ || *z_.next_in != 0x1f)
          return Error{"trailing garbage after gzip data"};
        inflateReset(&z_);
        betweenMembers_ = false;
        continue;
      }
      if (z_.avail_in == 0)
        return Error{"truncated gzip data: unexpected end of file"};
      int r = inflate(&z_, Z_NO_FLUSH);
      if (r == Z_STREAM_END) {
        betweenMembers_ = true;
      } else if (r == Z_OK || (r == Z_BUF_ERROR && z_.avail_in == 0)) {
        // progress made, or more input needed
      } else {
        return Error{std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : zError(r))};
      }
    }
    return cap - z_.avail_out;
  }

 private:
  FdInput in_;
  std::unique_ptr<std::uint8_t[]> input_;
  z_stream z_;
  bool initialized_ = false;
  bool inputEof_ = false;
  bool betweenMembers_ = false;
  bool sawPadding_ = false;
  bool finished_ = false;
};

// bzip2 and xz through libarchive's filters with the raw format: libbz2 and liblzma verify their
// own checksums.
class LibarchiveDecoder : public Decoder {
 public:
  LibarchiveDecoder(FdInput in, const char* kind)
      : in_(std::move(in)), input_(new std::uint8_t[kInputSize]), kind_(kind) {}
  ~LibarchiveDecoder() override {
    if (a_ != nullptr)
      archive_read_free(a_);
  }

  Status init(Compression c) {
    a_ = archive_read_new();
    if (a_ == nullptr)
      return Error{"cannot initialize libarchive"};
    int r = c == Compression::Bzip2 ? archive_read_support_filter_bzip2(a_)
                                    : archive_read_support_filter_xz(a_);
    if (r < ARCHIVE_WARN)
      return Error{std::string("libarchive cannot decode ") + kind_};
    archive_read_support_format_raw(a_);
    if (archive_read_open(a_, this, nullptr, &LibarchiveDecoder::readCallback, nullptr) !=
        ARCHIVE_OK) {
      return failure();
    }
    archive_entry* entry = nullptr;
    r = archive_read_next_header(a_, &entry);
    if (r == ARCHIVE_EOF) {
      eof_ = true;
    } else if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return failure();
    }
    return {};
  }

  Result<std::size_t> fill(std::uint8_t* buf, std::size_t cap) override {
    std::size_t got = 0;
    while (got < cap && !eof_) {
      if (pendingLen_ == 0) {
        const void* block = nullptr;
        std::size_t len = 0;
        la_int64_t offset = 0;
        int r = archive_read_data_block(a_, &block, &len, &offset);
        if (r == ARCHIVE_EOF) {
          eof_ = true;
          break;
        }
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
          return failure();
        pending_ = static_cast<const std::uint8_t*>(block);
        pendingLen_ = len;
        continue;
      }
      std::size_t n = std::min(cap - got, pendingLen_);
      std::memcpy(buf + got, pending_, n);
      got += n;
      pending_ += n;
      pendingLen_ -= n;
    }
    return got;
  }

 private:
  static la_ssize_t readCallback(struct archive* a, void* self, const void** buf) {
    auto* d = static_cast<LibarchiveDecoder*>(self);
    auto n = d->in_.read(d->input_.get(), kInputSize);
    if (!n) {
      d->inputError_ = n.error();
      archive_set_error(a, n.error().sysErrno != 0 ? n.error().sysErrno : EIO, "%s",
                        n.error().message.c_str());
      return -1;
    }
    *buf = d->input_.get();
    return static_cast<la_ssize_t>(*n);
  }

  Error failure() const {
    if (inputError_)
      return *inputError_;
    const char* msg = archive_error_string(a_);
    return Error{std::string("corrupt ") + kind_ + " data: " + (msg ? msg : "unknown error")};
  }

  FdInput in_;
  std::unique_ptr<std::uint8_t[]> input_;
  const char* kind_;
  struct archive* a_ = nullptr;
  const std::uint8_t* pending_ = nullptr;
  std::size_t pendingLen_ = 0;
  bool eof_ = false;
  std::optional<Error> inputError_;
};

class InlineStream : public ChunkStream {
 public:
  InlineStream(std::unique_ptr<Decoder> d, Sha512* hash)
      : decoder_(std::move(d)), hash_(hash), buf_(new std::uint8_t[kChunkSize]) {}

  Result<Bytes> next() override {
    if (done_)
      return Bytes{};
    auto n = decoder_->fill(buf_.get(), kChunkSize);
    if (!n)
      return n.error();
    if (*n == 0) {
      done_ = true;
      return Bytes{};
    }
    if (hash_ != nullptr)
      hash_->update(buf_.get(), *n);
    return Bytes{buf_.get(), *n};
  }

 private:
  std::unique_ptr<Decoder> decoder_;
  Sha512* hash_;
  std::unique_ptr<std::uint8_t[]> buf_;
  bool done_ = false;
};

// A bounded ring of chunks between one producer thread (decode, optionally hash) and the
// consumer. The consumer holds one chunk at a time and returns it on its next call.
class ThreadedStream : public ChunkStream {
 public:
  ThreadedStream(std::unique_ptr<Decoder> d, Sha512* hash) : decoder_(std::move(d)), hash_(hash) {
    for (std::size_t i = 0; i < kSlots; ++i) {
      slots_[i].buf.reset(new std::uint8_t[kChunkSize]);
      free_.push_back(i);
    }
    thread_ = std::thread([this] { produce(); });
  }

  ~ThreadedStream() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancel_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  Result<Bytes> next() override {
    std::unique_lock<std::mutex> lock(mutex_);
    if (held_ >= 0) {
      free_.push_back(static_cast<std::size_t>(held_));
      held_ = -1;
      cv_.notify_all();
    }
    cv_.wait(lock, [this] { return !filled_.empty() || finished_; });
    if (!filled_.empty()) {
      std::size_t i = filled_.front();
      filled_.pop_front();
      held_ = static_cast<int>(i);
      return Bytes{slots_[i].buf.get(), slots_[i].len};
    }
    if (error_)
      return *error_;
    return Bytes{};
  }

 private:
  static constexpr std::size_t kSlots = 4;

  struct Slot {
    std::unique_ptr<std::uint8_t[]> buf;
    std::size_t len = 0;
  };

  void produce() {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return !free_.empty() || cancel_; });
        if (cancel_)
          return;
        i = free_.front();
        free_.pop_front();
      }
      auto n = decoder_->fill(slots_[i].buf.get(), kChunkSize);
      if (n && *n > 0 && hash_ != nullptr)
        hash_->update(slots_[i].buf.get(), *n);
      std::lock_guard<std::mutex> lock(mutex_);
      if (!n || *n == 0) {
        if (!n)
          error_ = n.error();
        finished_ = true;
        cv_.notify_all();
        return;
      }
      slots_[i].len = *n;
      filled_.push_back(i);
      cv_.notify_all();
    }
  }

  std::unique_ptr<Decoder> decoder_;
  Sha512* hash_;
  Slot slots_[kSlots];
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::size_t> free_;
  std::deque<std::size_t> filled_;
  int held_ = -1;
  bool finished_ = false;
  bool cancel_ = false;
  std::optional<Error> error_;
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<Decoder>> openDecoder(int fd, Compression* detected) {
  // Enough bytes for every magic number; a pipe may deliver them in pieces.
  constexpr std::size_t kMagic = 6;
  std::vector<std::uint8_t> prefix(64 * 1024);
  std::size_t got = 0;
  while (got < kMagic) {
    ssize_t n = posix::readSome(fd, prefix.data() + got, prefix.size() - got);
    if (n < 0)
      return sysError("read error");
    if (n == 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  prefix.resize(got);
  if (got == 0)
    return Error{"empty file"};
  const std::uint8_t* p = prefix.data();
  auto is = [&](std::initializer_list<std::uint8_t> magic) {
    if (got < magic.size())
      return false;
    return std::equal(magic.begin(), magic.end(), p);
  };

  Compression c = Compression::None;
  if (is({0x1f, 0x8b})) {
    c = Compression::Gzip;
  } else if (is({'B', 'Z', 'h'})) {
    c = Compression::Bzip2;
  } else if (is({0xfd, '7', 'z', 'X', 'Z', 0x00})) {
    c = Compression::Xz;
  } else if (is({0x28, 0xb5, 0x2f, 0xfd})) {
    return Error{"zstd compression is not allowed for an ACI (appc allows gzip, bzip2 and xz)"};
  }
  if (detected != nullptr)
    *detected = c;

  FdInput in(fd, std::move(prefix));
  switch (c) {
    case Compression::Gzip: {
      auto d = std::make_unique<GzipDecoder>(std::move(in));
      if (auto st = d->init(); !st)
        return st.error();
      return std::unique_ptr<Decoder>(std::move(d));
    }
    case Compression::Bzip2:
    case Compression::Xz: {
      auto d = std::make_unique<LibarchiveDecoder>(std::move(in), compressionName(c));
      if (auto st = d->init(c); !st)
        return st.error();
      return std::unique_ptr<Decoder>(std::move(d));
    }
    case Compression::None:
      break;
  }
  return std::unique_ptr<Decoder>(std::make_unique<PlainDecoder>(std::move(in)));
}

std::unique_ptr<ChunkStream> makeChunkStream(std::unique_ptr<Decoder> decoder,
                                             const StreamOptions& options) {
  if (options.threaded) {
    return std::make_unique<ThreadedStream>(std::move(decoder), options.producerHash);
  }
  return std::make_unique<InlineStream>(std::move(decoder), options.producerHash);
}

}  // namespace rkt::archive::detail
