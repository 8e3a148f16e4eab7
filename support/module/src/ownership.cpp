#include "rkt/support/module/ownership.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "rkt/support/posix/errno_text.hpp"

namespace rkt::module {

bool ownershipEnforced() {
  return ::geteuid() == 0;
}

Status checkOwnership(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return sysError("cannot stat " + what);
  }
  if (st.st_uid != 0) {
    return Error{what + " is not owned by root (owner uid " + std::to_string(st.st_uid) + ")"};
  }
  if ((st.st_mode & S_IWOTH) != 0) {
    return Error{what + " is world-writable"};
  }
  return {};
}

}  // namespace rkt::module
