// The output of `rkt export` and `rkt image export|extract|render`: built beside the output path
// under a temporary name, then renamed over it. Nothing is ever written through what sits at the
// output path (a symlink planted there is replaced, never followed); until the output is complete
// the old one stays untouched, and a failure leaves nothing behind. docs/cli.md, "Output files".
#ifndef RKT_CORE_UTIL_OUTPUT_PATH_HPP
#define RKT_CORE_UTIL_OUTPUT_PATH_HPP

#include <string>

#include "rkt/core/result.hpp"

namespace rkt::util {

/// A new file that takes the place of `path` on commit(). Until then it is a hidden temporary
/// file in the same directory (`.<name>.rkt-XXXXXX`), removed on destruction.
class OutputFile {
 public:
  /// Creates the temporary file (mode 0644 less the umask). Without `overwrite`, an existing
  /// `path` of any kind (a dangling symlink too) is an Error with sysErrno EEXIST; callers word
  /// their own "… exists (try --overwrite)".
  static Result<OutputFile> create(const std::string& path, bool overwrite);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&&) = delete;
  OutputFile(const OutputFile&) = delete;
  ~OutputFile();

  /// Where to write the output.
  int fd() const { return fd_; }

  /// Syncs and closes the file and renames it onto `path`: with `overwrite` whatever is there is
  /// replaced (a symlink itself, not its target; a directory is an error), without it an
  /// existing path fails with EEXIST even if it appeared after create().
  Status commit();

 private:
  OutputFile(std::string path, std::string temp, int fd, bool overwrite)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd), overwrite_(overwrite) {}

  std::string path_;
  std::string temp_;  ///< empty once committed
  int fd_ = -1;
  bool overwrite_ = false;
};

/// A new directory that takes the place of `path` on commit(). It is built at buildPath(),
/// inside a private temporary directory beside `path` (`.<name>.rkt-XXXXXX`), which destruction
/// removes with everything in it.
class OutputDir {
 public:
  /// Creates the temporary directory. Without `overwrite`, an existing `path` of any kind is an
  /// Error with sysErrno EEXIST.
  static Result<OutputDir> create(const std::string& path, bool overwrite);

  OutputDir(OutputDir&& other) noexcept;
  OutputDir& operator=(OutputDir&&) = delete;
  OutputDir(const OutputDir&) = delete;
  ~OutputDir();

  /// Where the caller creates and fills the output (it does not exist yet).
  const std::string& buildPath() const { return build_; }

  /// Moves buildPath() to `path` in one step: exchanged with what is there (renameat2
  /// RENAME_EXCHANGE: whatever it is, a symlink is not followed) when overwriting, else created
  /// only if `path` still does not exist (EEXIST). The previous output, now in the temporary
  /// directory, is then removed with it; should that fail, the new output is in place and the
  /// Error names the leftover.
  Status commit();

 private:
  OutputDir(std::string path, std::string staging, bool overwrite);
  Status removeStaging();

  std::string path_;
  std::string staging_;  ///< the temporary directory; empty once removed
  std::string build_;
  bool overwrite_ = false;
};

}  // namespace rkt::util

#endif  // RKT_CORE_UTIL_OUTPUT_PATH_HPP
