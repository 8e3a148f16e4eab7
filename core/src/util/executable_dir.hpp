// Where the running rkt binary is: rkt finds its internal modules and plugins relative to it
// (docs/install.md), since no install directory is compiled in.
#ifndef RKT_CORE_SRC_UTIL_EXECUTABLE_DIR_HPP
#define RKT_CORE_SRC_UTIL_EXECUTABLE_DIR_HPP

#include <string>

namespace rkt::util {

/// The directory of the running executable, symlinks resolved: from /proc/self/exe, or, where
/// /proc is not mounted (a bare chroot), from the path it was executed by (AT_EXECFN). ""
/// when neither tells.
std::string executableDir();

}  // namespace rkt::util

#endif  // RKT_CORE_SRC_UTIL_EXECUTABLE_DIR_HPP
