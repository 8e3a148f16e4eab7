#include <rkt/support/archive/file.hpp>
#include <rkt/support/posix/errno_text.hpp>
#include <rkt/support/posix/fsync.hpp>
#include <rkt/support/posix/unique_fd.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace rkt::archive {
namespace {

std::string dirOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

}  // namespace

PendingFile::PendingFile(PendingFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_) {
  other.path_.clear();
  other.fd_ = -1;
}

PendingFile& PendingFile::operator=(PendingFile&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.path_.clear();
    other.fd_ = -1;
  }
  return *this;
}

PendingFile::~PendingFile() {
  discard();
}

Result<PendingFile> PendingFile::create(const std::string& dir, const std::string& prefix) {
  std::string tmpl = dir + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd < 0)
    return sysError("cannot create a temporary file in `" + dir + "`");
  PendingFile f;
  f.path_ = buf.data();
  f.fd_ = fd;
  return Result<PendingFile>(std::move(f));
}

Result<PendingFile> PendingFile::createLocked(const std::string& dir, const std::string& prefix) {
  constexpr int kAttempts = 16;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto f = create(dir, prefix);
    if (!f)
      return f;
    while (::flock(f->fd(), LOCK_EX) != 0) {
      if (errno != EINTR)
        return sysError("cannot lock `" + f->path() + "`");
    }
    struct stat st {};
    if (::fstat(f->fd(), &st) != 0)
      return sysError("cannot stat `" + f->path() + "`");
    if (st.st_nlink > 0)
      return f;
    // Removed by a sweep before we held the lock: its name may already belong to someone else.
    f->path_.clear();
  }
  return Error{"cannot create a temporary file in `" + dir + "`: removed concurrently " +
               std::to_string(kAttempts) + " times"};
}

Status PendingFile::sync() {
  if (fd_ < 0)
    return Error{"temporary file `" + path_ + "` is closed"};
  if (::fsync(fd_) != 0)
    return sysError("cannot sync `" + path_ + "`");
  return {};
}

Status PendingFile::publish(const std::string& finalPath, unsigned mode) {
  if (fd_ < 0)
    return Error{"temporary file `" + path_ + "` is closed"};
  if (::fchmod(fd_, mode) != 0)
    return sysError("cannot set the mode of `" + path_ + "`");
  if (::fsync(fd_) != 0)
    return sysError("cannot sync `" + path_ + "`");
  if (::rename(path_.c_str(), finalPath.c_str()) != 0) {
    return sysError("cannot rename `" + path_ + "` to `" + finalPath + "`");
  }
  ::close(fd_);
  fd_ = -1;
  path_.clear();
  return posix::fsyncDir(dirOf(finalPath));
}

void PendingFile::discard() {
  if (fd_ >= 0)
    ::close(fd_);
  if (!path_.empty())
    ::unlink(path_.c_str());
  fd_ = -1;
  path_.clear();
}

std::string PendingFile::release() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  std::string p = std::move(path_);
  path_.clear();
  return p;
}

Status renameDurably(const std::string& from, const std::string& to) {
  {
    posix::UniqueFd fd(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid())
      return sysError("cannot open `" + from + "`");
    if (::fsync(fd.get()) != 0)
      return sysError("cannot sync `" + from + "`");
  }
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return sysError("cannot rename `" + from + "` to `" + to + "`");
  }
  if (auto st = posix::fsyncDir(dirOf(to)); !st)
    return st;
  if (dirOf(from) != dirOf(to))
    return posix::fsyncDir(dirOf(from));
  return {};
}

}  // namespace rkt::archive
