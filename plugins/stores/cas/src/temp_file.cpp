#include "temp_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "errors.hpp"
#include "rkt/support/posix/fsync.hpp"

namespace rkt::cas {
namespace {

constexpr int kCreateAttempts = 16;

bool sameFile(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

}  // namespace

TempFile TempFile::create(const std::string& dir, const std::string& purpose) {
  for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
    std::string pattern = dir + "/" + kTempFilePrefix + purpose + "-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    posix::UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (!fd.valid()) {
      throwSys("cannot create temp file in " + named(dir));
    }
    std::string path(name.data());
    // Between mkostemp and flock a concurrent sweep may take the lock and unlink the file; then
    // the link count is 0 once we hold the lock, and we start over with a new name.
    while (::flock(fd.get(), LOCK_EX) != 0) {
      if (errno != EINTR) {
        throwSys("cannot lock temp file " + named(path));
      }
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) {
      throwSys("cannot stat temp file " + named(path));
    }
    if (st.st_nlink == 0) {
      continue;
    }
    if (::fchmod(fd.get(), 0660) != 0) {
      throwSys("cannot set mode of temp file " + named(path));
    }
    return TempFile(std::move(fd), std::move(path));
  }
  throw Error(RKT_E_BUSY,
              "cannot create temp file in " + named(dir) + ": removed concurrently too many times");
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    discard();
    fd_ = std::move(other.fd_);
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

TempFile::~TempFile() {
  discard();
}

void TempFile::discard() noexcept {
  if (!path_.empty() && fd_.valid()) {
    // Only unlink what is still our file: the caller may have renamed it into place.
    struct stat mine {};
    struct stat there {};
    if (::fstat(fd_.get(), &mine) == 0 && ::lstat(path_.c_str(), &there) == 0 &&
        sameFile(mine, there)) {
      ::unlink(path_.c_str());
    }
  }
  path_.clear();
  fd_.reset();
}

void TempFile::commitTo(const std::string& dest) {
  if (::fsync(fd_.get()) != 0) {
    throwSys("cannot sync " + named(path_));
  }
  moveTo(dest);
  posix::throwIfFailed(posix::fsyncDir(parentDir(dest)));
}

void TempFile::moveTo(const std::string& dest) {
  if (::rename(path_.c_str(), dest.c_str()) != 0) {
    throwSys("cannot move " + named(path_) + " to " + named(dest));
  }
  path_.clear();
  fd_.reset();
}

size_t removeStaleTempFiles(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return 0;
  }
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strncmp(e->d_name, kTempFilePrefix, std::strlen(kTempFilePrefix)) == 0) {
      names.emplace_back(e->d_name);
    }
  }
  ::closedir(d);

  size_t removed = 0;
  for (const auto& name : names) {
    std::string path = dir + "/" + name;
    posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      continue;
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      continue;  // someone is writing it
    }
    // The writer may have renamed it into place after our open; only unlink our inode.
    struct stat there {};
    if (::lstat(path.c_str(), &there) == 0 && sameFile(st, there) && ::unlink(path.c_str()) == 0) {
      ++removed;
    }
  }
  return removed;
}

}  // namespace rkt::cas
