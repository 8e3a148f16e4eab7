#include "rkt/support/http/locked_file.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/protocol/image_key.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::http {
namespace {

[[noreturn]] void ioError(const std::string& what, const std::string& path, int err) {
  posix::throwSys("cannot " + what + " `" + path + "`", err);
}

bool sameInode(int fd, const std::string& path) {
  struct stat a {};
  struct stat b {};
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

}  // namespace

std::string keyOf(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_512);
  engine.update(text);
  return std::string(protocol::store::kImageKeyPrefix) +
         Poco::DigestEngine::digestToHex(engine.digest())
             .substr(0, protocol::store::kImageKeyHexLength);
}

LockedFile LockedFile::acquire(const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  bool announced = false;
  for (;;) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      ioError("open download file", path, errno);
    }
    LockedFile file(path, fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) {
        ioError("lock download file", path, errno);
      }
      if (!announced) {
        sdk::log(RKT_LOG_INFO, "another rkt instance is downloading this file, waiting...");
        announced = true;
      }
      while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
          ioError("lock download file", path, errno);
        }
      }
    }
    // The previous holder may have handed the file over (renamed it) or removed it while we
    // waited: then our descriptor names a file nobody else will see again. Start over.
    if (sameInode(fd, path)) {
      return file;
    }
  }
}

LockedFile::LockedFile(LockedFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

LockedFile::~LockedFile() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the lock
  }
}

void LockedFile::fail(const std::string& what, int err) const {
  ioError(what, path_, err);
}

int64_t LockedFile::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    fail("stat download file", errno);
  }
  return static_cast<int64_t>(st.st_size);
}

std::time_t LockedFile::mtime() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    fail("stat download file", errno);
  }
  return st.st_mtime;
}

void LockedFile::reset() {
  if (::ftruncate(fd_, 0) != 0) {
    fail("truncate download file", errno);
  }
  ::unlink(etagPath().c_str());
}

void LockedFile::append(const char* data, size_t len) {
  if (::lseek(fd_, 0, SEEK_END) < 0) {
    fail("seek in download file", errno);
  }
  if (!posix::writeAll(fd_, data, len)) {
    fail("write download file", errno);
  }
}

void LockedFile::sync() {
  if (::fsync(fd_) != 0) {
    fail("sync download file", errno);
  }
}

std::string LockedFile::savedEtag() const {
  std::ifstream in(etagPath());
  std::ostringstream s;
  s << in.rdbuf();
  return in ? s.str() : std::string();
}

void LockedFile::saveEtag(const std::string& etag) {
  if (etag.empty()) {
    ::unlink(etagPath().c_str());
    return;
  }
  std::ofstream out(etagPath(), std::ios::trunc);
  out << etag;
  out.close();
  if (!out) {
    fail("write ETag file for", EIO);
  }
}

std::string LockedFile::handOver(const std::string& suffix) {
  std::string templ = path_ + "-XXXXXX" + suffix;
  std::vector<char> name(templ.begin(), templ.end());
  name.push_back('\0');
  int fd = ::mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    fail("create a file next to", errno);
  }
  ::close(fd);
  std::string target(name.data());
  // rename(2) replaces the placeholder atomically; the lock travels with the inode.
  if (::rename(path_.c_str(), target.c_str()) != 0) {
    int err = errno;
    ::unlink(target.c_str());
    fail("move download file", err);
  }
  ::unlink(etagPath().c_str());
  ::close(std::exchange(fd_, -1));
  return target;
}

void LockedFile::discard() {
  ::unlink(path_.c_str());
  ::unlink(etagPath().c_str());
  ::close(std::exchange(fd_, -1));
}

}  // namespace rkt::http
