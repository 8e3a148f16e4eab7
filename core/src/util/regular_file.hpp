// Reading files the user names (keys, signatures, fetched images): only regular files. A named
// pipe would block the reader forever and a device would be read without end, so anything else
// is refused before it is read, with an error that says what it is.
#ifndef RKT_CORE_SRC_UTIL_REGULAR_FILE_HPP
#define RKT_CORE_SRC_UTIL_REGULAR_FILE_HPP

#include <string>

#include "rkt/core/result.hpp"

namespace rkt::util {

/// Success when `path` (symlinks followed) is a regular file; it is not opened. Errors hold the
/// cause only, for the caller to name the file: "not a regular file (a named pipe)", or
/// the errno text with its errno.
Status checkRegularFile(const std::string& path);

/// The whole content of the regular file `path`, opened without blocking and checked before any
/// read. Errors hold the cause only, as checkRegularFile's.
Result<std::string> readRegularFile(const std::string& path);

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_REGULAR_FILE_HPP
