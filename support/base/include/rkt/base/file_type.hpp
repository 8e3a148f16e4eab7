// What a file is, in the words messages use: "cannot open ACI file `x`: not a regular file (a
// named pipe)". Where a regular file is expected, anything else is refused before it is read: a
// named pipe would block the reader forever, a device would be read without end.
#ifndef RKT_BASE_FILE_TYPE_HPP
#define RKT_BASE_FILE_TYPE_HPP

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace rkt {

/// "a named pipe", "a directory", … for a file's st_mode.
inline const char* fileTypeName(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "a regular file";
    case S_IFDIR:
      return "a directory";
    case S_IFLNK:
      return "a symlink";
    case S_IFIFO:
      return "a named pipe";
    case S_IFSOCK:
      return "a socket";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    default:
      return "an unknown kind of file";
  }
}

/// "not a regular file (a named pipe)": why a file that is not a regular one is refused.
inline std::string notRegularFile(mode_t mode) {
  return std::string("not a regular file (") + fileTypeName(mode) + ")";
}

/// Whether openRegularFile() refused a file for what it is (as opposed to a failed system call).
inline bool isNotRegular(const struct stat& st) {
  return (st.st_mode & S_IFMT) != 0 && !S_ISREG(st.st_mode);
}

/// Opens `path` (symlinks followed) read-only and close-on-exec, only if it is a regular file.
/// A stat first keeps devices from being opened at all; the open itself does not block (a named
/// pipe put there meanwhile would wait for a writer forever) and what it opened is checked again.
/// Returns the descriptor, or -1 with errno set: the system call's error, or EINVAL for a file
/// that is not a regular one, whose mode is then in `st` (isNotRegular(st) tells the two apart;
/// notRegularFile(st.st_mode) says why).
inline int openRegularFile(const char* path, struct stat& st) {
  st = {};
  if (::stat(path, &st) != 0) {
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    errno = EINVAL;
    return -1;
  }
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    return -1;
  }
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const int err = S_ISREG(st.st_mode) ? errno : EINVAL;
    ::close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace rkt

#endif  // RKT_BASE_FILE_TYPE_HPP
