// How a child forked to run a command in a pod reports a failure before its execve to the
// parent: one message on a pipe (FD_CLOEXEC, so a successful execve closes it unread).
// "\x01<status>:<errno>:<message>" for an error thrown before the point of no return; lines
// without the mark come from PreparedExec::execApp() after it.
#ifndef RKT_SUPPORT_APPEXEC_CHILD_REPORT_HPP
#define RKT_SUPPORT_APPEXEC_CHILD_REPORT_HPP

#include <exception>
#include <string>

namespace rkt::appexec {

/// Writes `error` (an sdk::Error keeps its status and errno) to `fd`. For the child's catch
/// block, followed by _exit(254).
void reportChildError(int fd, const std::exception& error);

/// Rethrows what the child reported: the marked error with its status and errno, or an
/// unmarked line as RKT_E_IO. `report` must not be empty.
[[noreturn]] void throwChildReport(const std::string& report);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_CHILD_REPORT_HPP
