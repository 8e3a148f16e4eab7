#include "rkt/support/appexec/child_report.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "rkt/sdk/error.hpp"
#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

namespace {

constexpr char kErrorMark = '\x01';

}  // namespace

void reportChildError(int fd, const std::exception& error) {
  int code = RKT_E_EXCEPTION;
  int err = 0;
  if (const auto* e = dynamic_cast<const sdk::Error*>(&error)) {
    code = e->code();
    err = e->sysErrno();
  }
  posix::writeAll(fd, std::string(1, kErrorMark) + std::to_string(code) + ":" +
                          std::to_string(err) + ":" + error.what());
}

void throwChildReport(const std::string& report) {
  std::string text = report;
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  if (text.empty() || text[0] != kErrorMark) {
    fail(RKT_E_IO, text);
  }
  const size_t c1 = text.find(':');
  const size_t c2 = c1 == std::string::npos ? c1 : text.find(':', c1 + 1);
  if (c2 == std::string::npos) {
    fail(RKT_E_INTERNAL, text.substr(1));
  }
  const int code = std::atoi(text.substr(1, c1 - 1).c_str());
  const int err = std::atoi(text.substr(c1 + 1, c2 - c1 - 1).c_str());
  fail(code > 0 ? static_cast<rkt_status>(code) : RKT_E_INTERNAL, text.substr(c2 + 1), err);
}

int runReportingChild(const std::string& what, const ChildBody& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throwSys(what + ": cannot create a pipe");
  }
  posix::UniqueFd readEnd(fds[0]);
  posix::UniqueFd writeEnd(fds[1]);

  // Like system(3): while the command runs, terminal interrupts are for it, not for us.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  ::sigemptyset(&ignore.sa_mask);
  SavedSignals saved(2);
  saved[0].first = SIGINT;
  saved[1].first = SIGQUIT;
  ::sigaction(SIGINT, &ignore, &saved[0].second);
  ::sigaction(SIGQUIT, &ignore, &saved[1].second);
  auto restore = [&saved] {
    for (const auto& [sig, action] : saved) {
      ::sigaction(sig, &action, nullptr);
    }
  };

  const pid_t child = ::fork();
  if (child < 0) {
    const int err = errno;
    restore();
    throwSys(what + ": cannot fork", err);
  }
  if (child == 0) {
    try {
      body(writeEnd.get(), saved);
    } catch (const std::exception& e) {
      reportChildError(writeEnd.get(), e);
    }
    ::_exit(254);
  }
  writeEnd = posix::UniqueFd();
  std::string report;
  try {
    report = readAll(readEnd.get(), "the report of the child process");
  } catch (...) {
    report.clear();
  }
  int status = 0;
  pid_t waited;
  do {
    waited = ::waitpid(child, &status, 0);
  } while (waited < 0 && errno == EINTR);
  const int err = errno;
  restore();
  if (waited < 0) {
    throwSys(what + ": cannot wait for the command", err);
  }
  if (!report.empty()) {
    throwChildReport(report);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

}  // namespace rkt::appexec
