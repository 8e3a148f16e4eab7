#include "rkt/core/pod/uuid.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>

#include "pod/sys.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::pod {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// getrandom(2) first; /dev/urandom only where the syscall is missing (old kernels, seccomp).
Status fillRandom(std::uint8_t* buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = ::getrandom(buf + got, len - got, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == ENOSYS || errno == EPERM)
        break;
      return sysError("cannot get random bytes");
    }
    got += static_cast<size_t>(n);
  }
  if (got == len)
    return {};
  posix::UniqueFd fd(::open("/dev/urandom", O_RDONLY | O_CLOEXEC));
  if (!fd.valid())
    return sysError("cannot open `/dev/urandom`");
  while (got < len) {
    ssize_t n = posix::readSome(fd.get(), buf + got, len - got);
    if (n <= 0)
      return sysError("cannot read `/dev/urandom`", n == 0 ? EIO : errno);
    got += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Result<Uuid> Uuid::generate() {
  std::array<std::uint8_t, 16> b{};
  if (Status s = fillRandom(b.data(), b.size()); !s)
    return s.error();
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return Uuid(b);
}

Result<Uuid> Uuid::parse(std::string_view text) {
  auto invalid = [&] { return Error{"invalid uuid `" + std::string(text) + "`", EINVAL}; };
  std::string hex;
  if (text.size() == 36) {
    for (size_t i = 0; i < text.size(); ++i) {
      bool dashPos = i == 8 || i == 13 || i == 18 || i == 23;
      if (dashPos != (text[i] == '-'))
        return invalid();
      if (!dashPos)
        hex.push_back(text[i]);
    }
  } else if (text.size() == 32) {
    hex = std::string(text);
  } else {
    return invalid();
  }
  std::array<std::uint8_t, 16> b{};
  for (size_t i = 0; i < b.size(); ++i) {
    int hi = hexValue(hex[2 * i]);
    int lo = hexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return invalid();
    b[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return Uuid(b);
}

std::string Uuid::str() const {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    out.push_back(kHex[bytes_[i] >> 4]);
    out.push_back(kHex[bytes_[i] & 0x0f]);
  }
  return out;
}

bool Uuid::isNil() const {
  for (auto b : bytes_) {
    if (b != 0)
      return false;
  }
  return true;
}

Result<std::string> readUuidFile(const std::string& path) {
  Result<std::string> content = posix::readFileAt(AT_FDCWD, path, /*followSymlink=*/true);
  if (!content) {
    return sysError("cannot read uuid file `" + path + "`", content.error().sysErrno);
  }
  return std::string(sys::trimSpace(*content));
}

Status writeUuidFile(const std::string& path, const Uuid& uuid) {
  posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid())
    return sysError("cannot write uuid file `" + path + "`");
  if (!posix::writeAll(fd.get(), uuid.str()))
    return sysError("cannot write uuid file `" + path + "`");
  if (::close(fd.release()) != 0)
    return sysError("cannot write uuid file `" + path + "`");
  return {};
}

}  // namespace rkt::pod
