// copyFileData (declared with copyTree, its main user).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "rkt/core/util/copy_tree.hpp"

namespace rkt::util {

Result<std::uint64_t> copyFileData(int inFd, int outFd, const std::string& what,
                                   std::uint64_t size) {
  std::uint64_t total = 0;
  bool kernelCopy = true;
  while (kernelCopy) {
    if (total >= size) {
      return total;  // the known size is reached: no call just to be told "end of file"
    }
    const std::size_t chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(size - total, std::uint64_t{1} << 30));
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
  std::vector<char> buf(std::size_t{1} << 20);
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
    for (ssize_t off = 0; off < n;) {
      const ssize_t w = ::write(outFd, buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0) {
        if (errno == EINTR) {
          continue;
        }
        return sysError(what);
      }
      off += w;
    }
    total += static_cast<std::uint64_t>(n);
  }
  return total;
}

}  // namespace rkt::util
