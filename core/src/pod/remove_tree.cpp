#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "pod/mounts.hpp"
#include "pod/sys.hpp"

namespace rkt::pod::mounts {
namespace {

constexpr int kOpenDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// Empties the directory open as `fd` (which it takes over). openat/unlinkat relative to
// directory fds: a path component swapped for a symlink meanwhile cannot redirect the removal.
Status removeContents(int fd, dev_t dev, const std::string& path) {
  DIR* d = ::fdopendir(fd);
  if (d == nullptr) {
    ::close(fd);
    return sysError("cannot read `" + path + "`");
  }
  Status result;
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..")
      continue;
    const std::string child = path + "/" + name;
    struct stat st {};
    if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT)
        result = sysError("cannot stat `" + child + "`");
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      // Never descend into another filesystem: it is a mount that did not go away, and what is
      // below it belongs to someone else (a bind-mounted host directory, say).
      if (st.st_dev != dev) {
        result = Error{"refusing to remove `" + child + "`: it is on another filesystem", EXDEV};
        continue;
      }
      int sub = ::openat(fd, name.c_str(), kOpenDirFlags);
      if (sub < 0) {
        result = sysError("cannot open `" + child + "`");
        continue;
      }
      if (Status s = removeContents(sub, dev, child); !s) {
        result = s;
        continue;
      }
      if (::unlinkat(fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
        result = sysError("cannot remove `" + child + "`");
      }
    } else if (::unlinkat(fd, name.c_str(), 0) != 0 && errno != ENOENT) {
      result = sysError("cannot remove `" + child + "`");
    }
    errno = 0;
  }
  ::closedir(d);
  return result;
}

}  // namespace

Status removeTree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return {};
    return sysError("cannot stat `" + path + "`");
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      return sysError("cannot remove `" + path + "`");
    return {};
  }
  int fd = ::open(path.c_str(), kOpenDirFlags);
  if (fd < 0)
    return sysError("cannot open `" + path + "`");
  if (Status s = removeContents(fd, st.st_dev, path); !s)
    return s;
  if (::rmdir(path.c_str()) != 0 && errno != ENOENT)
    return sysError("cannot remove `" + path + "`");
  return {};
}

}  // namespace rkt::pod::mounts
