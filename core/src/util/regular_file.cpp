#include "util/regular_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "rkt/base/file_type.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::util {
namespace {

Error causeOf(int err, const struct stat& st) {
  if (isNotRegular(st))
    return Error{notRegularFile(st.st_mode), EINVAL};
  return Error{posix::errnoText(err), err};
}

}  // namespace

Status checkRegularFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return causeOf(errno, st);
  return {};
}

Result<std::string> readRegularFile(const std::string& path) {
  struct stat st {};
  const posix::UniqueFd fd(openRegularFile(path.c_str(), st));
  if (!fd.valid())
    return causeOf(errno, st);
  std::string out;
  if (!posix::readAll(fd.get(), out))
    return causeOf(errno, {});
  return out;
}

}  // namespace rkt::util
