// Finding the app's program inside its rootfs, and rkt's diagnostic when it cannot run.
#ifndef RKT_SUPPORT_APPEXEC_EXECUTABLE_HPP
#define RKT_SUPPORT_APPEXEC_EXECUTABLE_HPP

#include <optional>
#include <string>

#include "rkt/support/appexec/root_dir.hpp"

namespace rkt::appexec {

/// The path (inside the root) to execve for `program`, as rkt's stage1 finds it: an absolute
/// path as is; a relative path with a `/` below `workDir`; a bare name searched in the
/// directories of `searchPath` (the app's PATH; relative entries are below `workDir`) for a
/// regular file with an execute bit, following symlinks inside the root. The last component is
/// kept as written (busybox-style programs look at their name). Throws RKT_E_NOT_FOUND
/// `error looking up "<name>": unable to find "<name>" in "<PATH>"` when the search fails.
std::string findProgram(const RootDir& root, const std::string& program, const std::string& workDir,
                        const std::string& searchPath);

/// What rkt's stage1 `/diagnostic` would print for a program that cannot be executed (nullopt
/// when nothing is wrong that it can see):
///   Error: Unable to open "/foo": No such file or directory
/// also for a missing ELF program interpreter or `#!` interpreter, a directory, or a file
/// without execute permission.
std::optional<std::string> diagnoseProgram(const RootDir& root, const std::string& path);

/// The line printed when execve(2) of `path` failed with `err` after the point of no return.
std::string execFailureLine(const std::string& path, int err);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_EXECUTABLE_HPP
