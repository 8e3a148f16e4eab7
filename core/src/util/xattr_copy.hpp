// Copying the extended attributes of one file onto another (copyTree's part of it).
#ifndef RKT_CORE_SRC_UTIL_XATTR_COPY_HPP
#define RKT_CORE_SRC_UTIL_XATTR_COPY_HPP

#include <string>

#include "rkt/core/result.hpp"

namespace rkt::util {

/// An xattr endpoint: an open descriptor, or (fd < 0) a path that is not followed.
struct XattrSide {
  int fd;
  std::string path;
};

/// Copies the attributes of `src` in the `user.` namespace, and with `security` those in
/// `security.` too (only root may set them), onto `dst`. Attributes that vanish while being read
/// are skipped, as is a destination without xattr support. Failing to set one is an error:
/// "<subject>: cannot set extended attribute `<key>`: <cause>".
Status copyXattrs(const XattrSide& src, const XattrSide& dst, bool security,
                  const std::string& subject);

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_XATTR_COPY_HPP
