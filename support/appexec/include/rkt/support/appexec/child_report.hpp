// How a child forked to run a command in a pod reports a failure before its execve to the
// parent: one message on a pipe (FD_CLOEXEC, so a successful execve closes it unread).
// "\x01<status>:<errno>:<message>" for an error thrown before the point of no return; lines
// without the mark come from PreparedExec::execApp() after it.
#ifndef RKT_SUPPORT_APPEXEC_CHILD_REPORT_HPP
#define RKT_SUPPORT_APPEXEC_CHILD_REPORT_HPP

#include <signal.h>

#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace rkt::appexec {

/// Writes `error` (an sdk::Error keeps its status and errno) to `fd`. For the child's catch
/// block, followed by _exit(254).
void reportChildError(int fd, const std::exception& error);

/// Rethrows what the child reported: the marked error with its status and errno, or an
/// unmarked line as RKT_E_IO. `report` must not be empty.
[[noreturn]] void throwChildReport(const std::string& report);

/// Signal dispositions the child puts back before its execve.
using SavedSignals = std::vector<std::pair<int, struct sigaction>>;
/// The child's work after fork: exec (or _exit) reporting failures on `errFd`. Returning or
/// throwing reports the error (if any) and exits 254.
using ChildBody = std::function<void(int errFd, const SavedSignals& saved)>;

/// Runs `body` in a forked child the way system(3) runs a command (SIGINT and SIGQUIT ignored
/// meanwhile), reads its report, waits for it and rethrows what it reported; returns its exit
/// status, 128 + the signal number when it was killed. `what` starts the caller's errors
/// ("cannot enter pod `<uuid>`": "…: cannot fork").
int runReportingChild(const std::string& what, const ChildBody& body);

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_CHILD_REPORT_HPP
