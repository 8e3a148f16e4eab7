// Small system-call helpers shared by the fly stage1: errors as rkt::sdk::Error (errno text and
// status from support/posix), whole-file reads and writes.
#ifndef RKT_PLUGINS_STAGE1_FLY_SYS_HPP
#define RKT_PLUGINS_STAGE1_FLY_SYS_HPP

#include <cerrno>
#include <string>
#include <utility>

#include "rkt/abi/plugin.h"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::fly {

using posix::errnoText;
using posix::throwSys;

/// Throws rkt::sdk::Error(code, message).
[[noreturn]] void fail(rkt_status code, const std::string& message, int sysErrno = 0);

/// `text` in double quotes with Go's %q escaping of quotes and backslashes (rkt's messages
/// quote user-supplied names that way).
std::string quoted(const std::string& text);

/// Reads `fd` to its end; throws naming `what` on error.
std::string readAll(int fd, const std::string& what);

/// Writes `data` to `dir`/`name` atomically: a temporary file in the same directory, then
/// rename(2). `mode` is the file mode.
void writeFileAtomic(int dirFd, const std::string& dirPath, const std::string& name,
                     const std::string& data, unsigned mode);

}  // namespace rkt::fly

#endif  // RKT_PLUGINS_STAGE1_FLY_SYS_HPP
