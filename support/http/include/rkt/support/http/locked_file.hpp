// The download file of one URL: <tmp_dir>/<key of the URL>, exclusively flock(2)ed so that
// concurrent rkt processes fetching the same URL take turns, and kept across failed attempts so
// the next attempt can resume it. <file>.etag remembers the ETag of the partial content.
#ifndef RKT_SUPPORT_HTTP_LOCKED_FILE_HPP
#define RKT_SUPPORT_HTTP_LOCKED_FILE_HPP

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <string>

namespace rkt::http {

/// rkt's store key form of a string: "sha512-" + the first 64 hex digits of its SHA-512.
std::string keyOf(const std::string& text);

class LockedFile {
 public:
  /// Opens or creates `dir`/`name` (mode 0644) and locks it exclusively. When another process
  /// holds the lock, logs "another rkt instance is downloading this file, waiting..." and
  /// waits. Throws rkt::sdk::Error(RKT_E_IO) naming the file.
  static LockedFile acquire(const std::string& dir, const std::string& name);

  LockedFile(LockedFile&& other) noexcept;
  LockedFile& operator=(LockedFile&&) = delete;
  LockedFile(const LockedFile&) = delete;
  LockedFile& operator=(const LockedFile&) = delete;
  /// Unlocks; the file stays for a later resume unless handOver() or discard() ran.
  ~LockedFile();

  const std::string& path() const { return path_; }
  std::string etagPath() const { return path_ + ".etag"; }

  int64_t size() const;
  /// Last modification of the partial content.
  std::time_t mtime() const;
  /// Empties the file and forgets its ETag (a fresh download starts).
  void reset();
  /// Appends bytes at the end of the file.
  void append(const char* data, size_t len);
  /// fsync(2): the bytes are on disk before anyone is told about them.
  void sync();

  /// The ETag saved with the partial content, "" when none.
  std::string savedEtag() const;
  void saveEtag(const std::string& etag);

  /// The download is complete: removes <file>.etag, moves the file to a fresh unique name in
  /// the same directory (<name>-XXXXXX<suffix>), unlocks and returns that name. The next
  /// download of the URL starts from scratch, and the returned file is the caller's alone.
  std::string handOver(const std::string& suffix);

  /// Removes the file and its ETag and unlocks.
  void discard();

 private:
  LockedFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  [[noreturn]] void fail(const std::string& what, int err) const;

  std::string path_;
  int fd_ = -1;
};

}  // namespace rkt::http

#endif  // RKT_SUPPORT_HTTP_LOCKED_FILE_HPP
