// A directory that paths are resolved inside of as if it were `/`: the app's rootfs.
//
// The image is untrusted: its symlinks may point anywhere (`/etc/hosts -> /../../host/file`).
// Every lookup here follows them the way the kernel would after chroot(2), and never leaves the
// directory: `..` at the top stays at the top, absolute link targets restart at the top.
// Lookups go through openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS, so a symlink swapped
// in after resolution makes the call fail instead of escaping.
#ifndef RKT_SUPPORT_APPEXEC_ROOT_DIR_HPP
#define RKT_SUPPORT_APPEXEC_ROOT_DIR_HPP

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

class RootDir {
 public:
  /// Opens the directory at the host path `path` (not following a final symlink).
  explicit RootDir(std::string path);

  /// The host path this root was opened at, for messages.
  const std::string& path() const { return path_; }
  /// O_PATH descriptor of the root directory.
  int fd() const { return fd_.get(); }

  /// Resolves `path` (absolute, or relative to the root) inside the root: every symlink in an
  /// existing component is followed (at most 40), `.` and `..` are applied, and components
  /// that do not exist are kept as they are. Returns the clean absolute path inside the root
  /// ("/" for the root itself) that names the same object without any symlink.
  std::string resolve(std::string_view path) const;

  /// Opens `path` (resolved first) with `flags` (O_CLOEXEC is added). Returns an invalid fd and
  /// sets errno when it cannot.
  posix::UniqueFd open(std::string_view path, int flags) const;
  /// Like open() but throws "cannot open `<path>` in `<root>`: ...".
  posix::UniqueFd openOrThrow(std::string_view path, int flags) const;

  /// stat(2) of `path` (resolved first, so it follows symlinks inside the root); nullopt with
  /// errno set when it does not exist or cannot be reached.
  std::optional<struct stat> stat(std::string_view path) const;
  /// lstat(2) of `path`: its parent is resolved, the last component is not followed.
  std::optional<struct stat> lstat(std::string_view path) const;

  /// Creates the missing directories of `path` (resolved first) with `mode`; returns the
  /// resolved path. Throws when a component exists and is not a directory.
  std::string mkdirAll(std::string_view path, mode_t mode) const;
  /// Creates an empty regular file at `path` unless something exists there; parents are created
  /// (0755). Returns the resolved path.
  std::string createFile(std::string_view path, mode_t mode) const;
  /// Writes `data` to a new file at `path` (resolved; parents created). Fails when it exists.
  void writeNewFile(std::string_view path, const std::string& data, mode_t mode) const;
  /// Creates the symlink `path` -> `target` (parent resolved); fails when `path` exists.
  void symlink(std::string_view path, const std::string& target) const;

  /// Reads a whole file (resolved first).
  std::string readFile(std::string_view path) const;

  /// "`/etc/hosts` in `<root>`" for messages.
  std::string describe(std::string_view path) const;

 private:
  /// Opens an already resolved path (no symlinks expected anywhere in it).
  posix::UniqueFd openResolved(const std::string& resolved, int flags) const;

  std::string path_;
  posix::UniqueFd fd_;
};

/// Splits a resolved absolute path into its parent ("/" for top-level names) and last name.
std::pair<std::string, std::string> splitParent(const std::string& resolved);

/// Lexically cleans an absolute path: "/a//b/./c/../d/" -> "/a/b/d"; ".." at the top is dropped.
std::string cleanAbsolute(std::string_view path);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_ROOT_DIR_HPP
