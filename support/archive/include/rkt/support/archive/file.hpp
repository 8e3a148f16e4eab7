// Temporary files and durable publication (fsync + rename), for callers that store what the
// importer produced: write to a temp file in the destination's filesystem, then publish it.
#ifndef RKT_SUPPORT_ARCHIVE_FILE_HPP
#define RKT_SUPPORT_ARCHIVE_FILE_HPP

#include <rkt/base/result.hpp>

#include <string>

namespace rkt::archive {

/// A file being written under a temporary name. Removed by the destructor unless published or
/// released, so every error path leaves nothing behind. Move-only; owns its descriptor.
class PendingFile {
 public:
  PendingFile() = default;
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&& other) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  /// Creates `<dir>/<prefix>XXXXXX` (mode 0600, O_CLOEXEC). `dir` must exist.
  static Result<PendingFile> create(const std::string& dir, const std::string& prefix);
  /// Same, and holds an exclusive flock(2) on the file while it is pending (released with the
  /// descriptor), so a sweep that removes unlocked leftovers of killed writers (the cas store
  /// does) leaves a live one alone. A file such a sweep removed between creation and locking
  /// is noticed (link count 0) and replaced by a new one.
  static Result<PendingFile> createLocked(const std::string& dir, const std::string& prefix);

  bool valid() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  /// The open descriptor (read-write), or -1 after publish/release/discard.
  int fd() const { return fd_; }

  /// fsync(2)s the data.
  Status sync();
  /// Durably moves the file to `finalPath` (same filesystem): fsync, chmod to `mode`, rename
  /// (replacing an existing file), fsync of the destination directory. Closes the descriptor.
  Status publish(const std::string& finalPath, unsigned mode = 0644);
  /// Removes the file now (what the destructor would do).
  void discard();
  /// Keeps the file at path() and gives up ownership; returns its path.
  std::string release();

 private:
  std::string path_;
  int fd_ = -1;
};

/// fsync(2)s `from`, renames it to `to` and fsyncs the directory of `to` (and of `from` when
/// different). For files the caller wrote itself.
Status renameDurably(const std::string& from, const std::string& to);

}  // namespace rkt::archive

#endif  // RKT_SUPPORT_ARCHIVE_FILE_HPP
