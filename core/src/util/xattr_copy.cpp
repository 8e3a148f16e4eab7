#include "util/xattr_copy.hpp"

#include <sys/xattr.h>

#include <cerrno>

namespace rkt::util {
namespace {

ssize_t listXattrs(const XattrSide& s, char* buf, std::size_t size) {
  return s.fd >= 0 ? ::flistxattr(s.fd, buf, size) : ::llistxattr(s.path.c_str(), buf, size);
}
ssize_t getXattr(const XattrSide& s, const char* key, void* buf, std::size_t size) {
  return s.fd >= 0 ? ::fgetxattr(s.fd, key, buf, size)
                   : ::lgetxattr(s.path.c_str(), key, buf, size);
}
int setXattr(const XattrSide& s, const char* key, const void* value, std::size_t size) {
  return s.fd >= 0 ? ::fsetxattr(s.fd, key, value, size, 0)
                   : ::lsetxattr(s.path.c_str(), key, value, size, 0);
}

}  // namespace

Status copyXattrs(const XattrSide& src, const XattrSide& dst, bool security,
                  const std::string& subject) {
  ssize_t size = listXattrs(src, nullptr, 0);
  if (size <= 0) {
    return {};  // none, or no xattr support
  }
  std::string names(static_cast<std::size_t>(size), '\0');
  size = listXattrs(src, names.data(), names.size());
  if (size < 0) {
    return {};
  }
  names.resize(static_cast<std::size_t>(size));
  for (std::size_t pos = 0; pos < names.size();) {
    const std::string key = names.c_str() + pos;
    pos += key.size() + 1;
    if (!(key.rfind("user.", 0) == 0 || (security && key.rfind("security.", 0) == 0))) {
      continue;
    }
    ssize_t vsize = getXattr(src, key.c_str(), nullptr, 0);
    if (vsize < 0) {
      continue;
    }
    std::string value(static_cast<std::size_t>(vsize), '\0');
    vsize = getXattr(src, key.c_str(), value.data(), value.size());
    if (vsize < 0) {
      continue;
    }
    value.resize(static_cast<std::size_t>(vsize));
    if (setXattr(dst, key.c_str(), value.data(), value.size()) != 0 && errno != ENOTSUP) {
      return sysError(subject + ": cannot set extended attribute `" + key + "`");
    }
  }
  return {};
}

}  // namespace rkt::util
