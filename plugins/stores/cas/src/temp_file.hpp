// Temp files in cas/tmp that survive only while someone is writing them.
//
// A TempFile is created and flocked exclusively at once; the lock is held until the object is
// destroyed. When a process is killed mid-write its temp file stays behind unlocked, and the next
// store open removes it (removeStaleTempFiles). Only files with our own name prefix are
// considered: cas/tmp also holds rkt's partial downloads (`sha512-<url hash>` + `.etag`), which
// are kept on purpose so a download can resume.
#ifndef RKT_CAS_TEMP_FILE_HPP
#define RKT_CAS_TEMP_FILE_HPP

#include <string>
#include <utility>

#include "fs_util.hpp"

namespace rkt::cas {

/// Name prefix of every temp file this library creates.
inline constexpr const char* kTempFilePrefix = "cas-tmp-";

class TempFile {
 public:
  /// Creates `<dir>/cas-tmp-<purpose>-XXXXXX` (mode 0660), open read-write and locked.
  static TempFile create(const std::string& dir, const std::string& purpose);

  TempFile(TempFile&& other) noexcept
      : fd_(std::move(other.fd_)), path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&&) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  /// Removes the file unless it was committed (or moved away by someone else).
  ~TempFile();

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }

  /// Makes the content durable and renames the file to `dest` (same filesystem), then syncs
  /// the destination directory. Afterwards the object no longer owns a path.
  void commitTo(const std::string& dest);

  /// Renames the file to `dest` (same filesystem) without syncing anything: for content whose
  /// loss in a crash only costs work later, or that a sync to come covers. Afterwards the
  /// object no longer owns a path.
  void moveTo(const std::string& dest);

 private:
  TempFile(posix::UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  void discard() noexcept;

  posix::UniqueFd fd_;
  std::string path_;
};

/// Removes every `cas-tmp-*` regular file in `dir` that nobody holds locked. Returns how many
/// were removed. Errors on single entries are ignored (it is a best-effort sweep).
size_t removeStaleTempFiles(const std::string& dir);

}  // namespace rkt::cas

#endif  // RKT_CAS_TEMP_FILE_HPP
