#include "rkt/support/posix/fsync.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "rkt/base/shorten.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::posix {

Status fsyncDir(const std::string& path) {
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return sysError("cannot open directory `" + shownName(path) + "`");
  }
  if (::fsync(fd.get()) != 0) {
    return sysError("cannot sync directory `" + shownName(path) + "`");
  }
  return {};
}

}  // namespace rkt::posix
