// The few system-call helpers the app-execution code shares: failures as rkt::sdk::Error (with
// the errno text and status of support/posix), a whole descriptor read that throws, and an
// atomic file write.
#ifndef RKT_SUPPORT_APPEXEC_SYS_HPP
#define RKT_SUPPORT_APPEXEC_SYS_HPP

#include <cerrno>
#include <string>

#include "rkt/abi/plugin.h"
#include "rkt/base/quote.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::appexec {

using posix::errnoText;
using posix::throwSys;

/// Throws rkt::sdk::Error(code, message).
[[noreturn]] void fail(rkt_status code, const std::string& message, int sysErrno = 0);

/// Reads `fd` to its end; throws "cannot read <what>: …" on error.
std::string readAll(int fd, const std::string& what);

/// Writes `data` to `dir`/`name` atomically: a temporary file in the same directory, then
/// rename(2). `mode` is the file mode.
void writeFileAtomic(int dirFd, const std::string& dirPath, const std::string& name,
                     const std::string& data, unsigned mode);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_SYS_HPP
