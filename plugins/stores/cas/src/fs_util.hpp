// Small POSIX file helpers the store needs for durable, atomic updates. All throw rkt::sdk::Error.
#ifndef RKT_CAS_FS_UTIL_HPP
#define RKT_CAS_FS_UTIL_HPP

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::cas {

/// Creates directory `path` with exactly `mode` (setgid included, umask ignored) when it does
/// not exist; an existing directory is left as it is. Returns true when it was created.
/// The parent must exist.
bool ensureDir(const std::string& path, mode_t mode);

/// The directory part of `path` ("." when there is none).
std::string parentDir(const std::string& path);

/// Writes all of `data` to `fd`; `what` names the file in errors.
void writeAll(int fd, const std::string& data, const std::string& what);

/// syncfs(2) of the filesystem holding the directory `dir`.
void syncFilesystem(const std::string& dir);

/// Reads a whole file. Throws RKT_E_NOT_FOUND when it does not exist.
std::string readFile(const std::string& path);

/// The names in the directory open as `dirFd` (not "." and ".."), in the order readdir gives
/// them; `dirFd` itself stays open and unmoved. `path` names the directory in errors.
std::vector<std::string> directoryNames(int dirFd, const std::string& path);

/// Opens `path` for reading, only if it is a regular file: the open does not block (a named pipe
/// would wait for a writer forever) and anything else is refused before it is read. Returns the
/// descriptor and its stat in `st`. Throws "<what>: <cause>", e.g. "<what>: not a regular file (a
/// named pipe)" (RKT_E_INVALID).
posix::UniqueFd openRegularFile(const std::string& path, const std::string& what, struct stat& st);

}  // namespace rkt::cas

#endif  // RKT_CAS_FS_UTIL_HPP
