// copyFileData (declared with copyTree, its main user).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rkt/support/archive/data_segments.hpp>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "rkt/core/util/copy_tree.hpp"

namespace rkt::util {
namespace {

constexpr std::uint64_t kMaxKernelChunk = std::uint64_t{1} << 30;
constexpr std::size_t kBufferSize = std::size_t{1} << 20;

// Writes all of buf[0, n) at `offset` of `outFd` (pwrite), or at its file offset when
// offset < 0 (write).
bool writeAll(int outFd, const char* buf, std::size_t n, off_t offset) {
  for (std::size_t done = 0; done < n;) {
    const ssize_t w =
        offset < 0 ? ::write(outFd, buf + done, n - done)
                   : ::pwrite(outFd, buf + done, n - done, offset + static_cast<off_t>(done));
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    done += static_cast<std::size_t>(w);
  }
  return true;
}

// read/write from the current offsets, up to `size` bytes or the end of `inFd`.
Result<std::uint64_t> streamCopy(int inFd, int outFd, const std::string& what, std::uint64_t size) {
  std::uint64_t total = 0;
  bool kernelCopy = true;
  while (kernelCopy && total < size) {
    const std::size_t chunk = static_cast<std::size_t>(std::min(size - total, kMaxKernelChunk));
    const ssize_t n = ::copy_file_range(inFd, nullptr, outFd, nullptr, chunk, 0);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL) {
        kernelCopy = false;  // go on with read/write from where we are
        break;
      }
      return sysError(what);
    }
    if (n == 0) {
      return total;
    }
    total += static_cast<std::uint64_t>(n);
  }
  std::vector<char> buf(kBufferSize);
  while (total < size) {
    const ssize_t n =
        ::read(inFd, buf.data(),
               static_cast<std::size_t>(std::min<std::uint64_t>(size - total, buf.size())));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return sysError(what);
    }
    if (n == 0) {
      return total;
    }
    if (!writeAll(outFd, buf.data(), static_cast<std::size_t>(n), -1)) {
      return sysError(what);
    }
    total += static_cast<std::uint64_t>(n);
  }
  return total;
}

// Copies inFd[from, from + len) to outFd[to, to + len) (copy_file_range with explicit offsets,
// read/write across filesystems). Fewer bytes when the input ends early (it shrank).
Result<std::uint64_t> copyRange(int inFd, int outFd, std::uint64_t from, std::uint64_t to,
                                std::uint64_t len, const std::string& what) {
  auto in = static_cast<off_t>(from);
  auto out = static_cast<off_t>(to);
  std::uint64_t left = len;
  while (left > 0) {
    const ssize_t n = ::copy_file_range(
        inFd, &in, outFd, &out, static_cast<std::size_t>(std::min(left, kMaxKernelChunk)), 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
      break;
    }
    if (n < 0) {
      return sysError(what);
    }
    if (n == 0) {
      return len - left;  // the file shrank meanwhile
    }
    left -= static_cast<std::uint64_t>(n);
  }
  std::vector<char> buf(left > 0 ? kBufferSize : 0);
  while (left > 0) {
    const ssize_t n = ::pread(
        inFd, buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())), in);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return sysError(what);
    }
    if (n == 0) {
      return len - left;
    }
    if (!writeAll(outFd, buf.data(), static_cast<std::size_t>(n), out)) {
      return sysError(what);
    }
    in += n;
    out += n;
    left -= static_cast<std::uint64_t>(n);
  }
  return len;
}

}  // namespace

// Between regular files whose output is empty from its offset on, only the data segments are
// copied and the holes stay holes: an 8 GiB sparse file costs its data, not 8 GiB of disk.
// Anything else (a pipe, an output with content to overwrite, one opened O_APPEND, where
// positioned writes go to the end) is copied as a stream.
Result<std::uint64_t> copyFileData(int inFd, int outFd, const std::string& what,
                                   std::uint64_t size) {
  struct stat in {};
  struct stat out {};
  const off_t inStart = ::lseek(inFd, 0, SEEK_CUR);
  const off_t outStart = ::lseek(outFd, 0, SEEK_CUR);
  const int outFlags = ::fcntl(outFd, F_GETFL);
  if (::fstat(inFd, &in) != 0 || ::fstat(outFd, &out) != 0 || !S_ISREG(in.st_mode) ||
      !S_ISREG(out.st_mode) || inStart < 0 || outStart < 0 || out.st_size > outStart ||
      outFlags < 0 || (outFlags & O_APPEND) != 0) {
    return streamCopy(inFd, outFd, what, size);
  }
  const auto from = static_cast<std::uint64_t>(inStart);
  const auto to = static_cast<std::uint64_t>(outStart);
  const auto inSize = static_cast<std::uint64_t>(in.st_size);
  std::uint64_t end = inSize <= from ? from : from + std::min(size, inSize - from);
  rkt::archive::DataSegments segments(inFd, from, end);
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  while (segments.next(offset, length)) {
    Result<std::uint64_t> n = copyRange(inFd, outFd, offset, to + (offset - from), length, what);
    if (!n) {
      return n.error();
    }
    if (*n < length) {
      end = offset + *n;  // the input shrank: a plain copy would stop there too
      break;
    }
  }
  if (segments.error() != 0) {
    return sysError(what, segments.error());
  }
  // The holes between and after the segments: the output's size covers them.
  const std::uint64_t total = end - from;
  if (::ftruncate(outFd, static_cast<off_t>(to + total)) != 0) {
    return sysError(what);
  }
  // Both offsets end where a plain copy leaves them.
  if (::lseek(inFd, static_cast<off_t>(end), SEEK_SET) < 0 ||
      ::lseek(outFd, static_cast<off_t>(to + total), SEEK_SET) < 0) {
    return sysError(what);
  }
  return total;
}

}  // namespace rkt::util
