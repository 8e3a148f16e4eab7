#include "rkt/core/util/output_path.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "rkt/support/posix/remove_tree.hpp"

namespace rkt::util {
namespace {

// Temporary names keep a recognisable part of the output's name within NAME_MAX.
constexpr std::size_t kMaxNamePart = 200;

std::string parentOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// "<dir>/.<name>.rkt-XXXXXX", the template mkostemp and mkdtemp fill in.
std::string tempTemplate(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string dir = parentOf(path);
  if (dir != "/")
    dir += '/';
  return dir + "." + name.substr(0, kMaxNamePart) + ".rkt-XXXXXX";
}

Status refuseExisting(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0)
    return Error{"`" + path + "` exists", EEXIST};
  if (errno != ENOENT)
    return sysError("cannot check `" + path + "`");
  return {};
}

mode_t currentUmask() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

// rename(2) that never replaces: renameat2's RENAME_NOREPLACE, or on filesystems without it a
// hard link (which fails on an existing name) and an unlink of the old name. Files only: a
// directory cannot be hard-linked, so without RENAME_NOREPLACE it is moved after a check.
int renameNoReplace(const std::string& from, const std::string& to, bool directory) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
  if (directory) {
    struct stat st {};
    if (::lstat(to.c_str(), &st) == 0) {
      errno = EEXIST;
      return -1;
    }
    return ::rename(from.c_str(), to.c_str());
  }
  if (::link(from.c_str(), to.c_str()) != 0)
    return -1;
  ::unlink(from.c_str());
  return 0;
}

// The directory entry of a renamed output is on disk once its directory is synced.
void syncParent(const std::string& path) {
  const int dir = ::open(parentOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);  // best effort: the output is complete and in place either way
    ::close(dir);
  }
}

}  // namespace

Result<OutputFile> OutputFile::create(const std::string& path, bool overwrite) {
  if (!overwrite) {
    if (Status s = refuseExisting(path); !s)
      return s.error();
  } else if (struct stat st{}; ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return sysError("cannot replace `" + path + "`", EISDIR);  // rename(2) would refuse it last
  }
  std::string temp = tempTemplate(path);
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0)
    return sysError("cannot create a temporary file beside `" + path + "`");
  OutputFile file(path, temp, fd, overwrite);
  if (::fchmod(fd, 0644 & ~currentUmask()) != 0)
    return sysError("cannot set the mode of `" + temp + "`");
  return file;
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::exchange(other.temp_, {})),
      fd_(std::exchange(other.fd_, -1)),
      overwrite_(other.overwrite_) {}

OutputFile::~OutputFile() {
  if (fd_ >= 0)
    ::close(fd_);
  if (!temp_.empty())
    ::unlink(temp_.c_str());
}

Status OutputFile::commit() {
  if (::fsync(fd_) != 0)
    return sysError("cannot sync `" + temp_ + "`");
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0)
    return sysError("cannot close `" + temp_ + "`");
  const int rc = overwrite_ ? ::rename(temp_.c_str(), path_.c_str())
                            : renameNoReplace(temp_, path_, /*directory=*/false);
  if (rc != 0)
    return sysError("cannot move the output into place at `" + path_ + "`");
  temp_.clear();
  syncParent(path_);
  return {};
}

Result<OutputDir> OutputDir::create(const std::string& path, bool overwrite) {
  if (!overwrite) {
    if (Status s = refuseExisting(path); !s)
      return s.error();
  }
  std::string staging = tempTemplate(path);
  if (::mkdtemp(staging.data()) == nullptr)
    return sysError("cannot create a temporary directory beside `" + path + "`");
  return OutputDir(path, staging, overwrite);
}

OutputDir::OutputDir(std::string path, std::string staging, bool overwrite)
    : path_(std::move(path)),
      staging_(std::move(staging)),
      build_(staging_ + "/output"),
      overwrite_(overwrite) {}

OutputDir::OutputDir(OutputDir&& other) noexcept
    : path_(std::move(other.path_)),
      staging_(std::exchange(other.staging_, {})),
      build_(std::move(other.build_)),
      overwrite_(other.overwrite_) {}

OutputDir::~OutputDir() {
  (void)removeStaging();  // a failed command reports its own error; a leftover is hidden
}

Status OutputDir::removeStaging() {
  if (staging_.empty())
    return {};
  Status removed = posix::removeTree(staging_);
  if (removed)
    staging_.clear();
  return removed;
}

Status OutputDir::commit() {
  int rc = -1;
  if (overwrite_) {
    rc = ::renameat2(AT_FDCWD, build_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
      // No RENAME_EXCHANGE here: move the old output aside first, then the new one in.
      const std::string old = staging_ + "/previous";
      if (::rename(path_.c_str(), old.c_str()) != 0 && errno != ENOENT)
        return sysError("cannot move the previous output `" + path_ + "` aside");
      rc = ::rename(build_.c_str(), path_.c_str());
      if (rc != 0) {
        const int err = errno;
        (void)::rename(old.c_str(), path_.c_str());
        errno = err;
      }
    } else if (rc != 0 && errno == ENOENT) {
      rc = renameNoReplace(build_, path_, /*directory=*/true);  // nothing there any more
    }
  } else {
    rc = renameNoReplace(build_, path_, /*directory=*/true);
  }
  if (rc != 0)
    return sysError("cannot move the output into place at `" + path_ + "`");
  syncParent(path_);
  if (Status removed = removeStaging(); !removed)
    return removed.error().wrap("cannot remove the previous output, left in `" + staging_ + "`");
  return {};
}

}  // namespace rkt::util
