#include "fs_util.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.hpp"
#include "rkt/base/file_type.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::cas {

bool ensureDir(const std::string& path, mode_t mode) {
  if (::mkdir(path.c_str(), mode & 0777) == 0) {
    // mkdir applies the umask and ignores setgid; the store's modes are part of its contract.
    if (::chmod(path.c_str(), mode) != 0) {
      throwSys("cannot set mode of " + named(path));
    }
    return true;
  }
  int err = errno;
  struct stat st {};
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return false;
  }
  if (err == EEXIST) {
    err = ENOTDIR;
  }
  throwSys("cannot create directory " + named(path), err);
}

std::string parentDir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return ".";
  }
  if (slash == 0) {
    return "/";
  }
  return path.substr(0, slash);
}

void writeAll(int fd, const std::string& data, const std::string& what) {
  if (!posix::writeAll(fd, data)) {
    throwSys("cannot write " + named(what));
  }
}

std::string readFile(const std::string& path) {
  return posix::valueOrThrow(posix::readFileAt(AT_FDCWD, path, /*followSymlink=*/true));
}

std::vector<std::string> directoryNames(int dirFd, const std::string& path) {
  // readdir on a duplicate: closedir closes the descriptor it was given, not the caller's.
  int dupFd = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
  DIR* dir = dupFd < 0 ? nullptr : ::fdopendir(dupFd);
  if (dir == nullptr) {
    int err = errno;
    if (dupFd >= 0) {
      ::close(dupFd);
    }
    throwSys("cannot read directory " + named(path), err);
  }
  // The duplicate shares the file offset with dirFd: start from the beginning whatever an
  // earlier listing through dirFd left.
  ::rewinddir(dir);
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = ::readdir(dir)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      names.emplace_back(e->d_name);
    }
    errno = 0;
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) {
    throwSys("cannot read directory " + named(path), err);
  }
  return names;
}

posix::UniqueFd openRegularFile(const std::string& path, const std::string& what, struct stat& st) {
  posix::UniqueFd fd(rkt::openRegularFile(path.c_str(), st));
  if (!fd.valid() && isNotRegular(st)) {
    throw Error(RKT_E_INVALID, what + ": " + notRegularFile(st.st_mode));
  }
  if (!fd.valid()) {
    throwSys(what);
  }
  return fd;
}

void syncFilesystem(const std::string& dir) {
  posix::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    throwSys("cannot open " + named(dir));
  }
  if (::syncfs(fd.get()) != 0) {
    throwSys("cannot sync the filesystem of " + named(dir));
  }
}

}  // namespace rkt::cas
