// Durability of directory changes: a rename, creation or removal is on disk only once the
// directory holding it is synced.
#ifndef RKT_SUPPORT_POSIX_FSYNC_HPP
#define RKT_SUPPORT_POSIX_FSYNC_HPP

#include <string>

#include "rkt/base/result.hpp"

namespace rkt::posix {

/// fsync(2) of the directory `path`. Errors: "cannot open directory `<path>`: …" or "cannot sync
/// directory `<path>`: …" with the errno.
Status fsyncDir(const std::string& path);

}  // namespace rkt::posix

#endif  // RKT_SUPPORT_POSIX_FSYNC_HPP
