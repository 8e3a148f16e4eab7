// An app's stdout and stderr in a non-interactive pod: pipes the supervisor reads, passing each
// chunk on unchanged to its own stdout or stderr (systemd-nspawn's, so `rkt run`'s) and keeping
// a copy in `/rkt/logs/<app>` for `rkt logs`. The copy is capped: past kLogCapBytes the file
// becomes `<app>.1` (replacing the previous one) and a new one starts.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_OUTPUT_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_OUTPUT_HPP

#include <sys/types.h>

#include <string>

#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

inline constexpr off_t kLogCapBytes = 1 << 20;

class AppOutput {
 public:
  /// Creates the pipes and opens the log under `logDir` (created when missing).
  AppOutput(const std::string& logDir, const std::string& app);

  /// For the app's process: makes the pipes' write ends its stdout and stderr.
  void redirectChild() const;
  /// In the supervisor, once the app is forked: closes the write ends (EOF when the app and
  /// what it started are done).
  void closeWriteEnds();

  /// Read ends still open (-1 once at EOF).
  int stdoutFd() const { return out_.get(); }
  int stderrFd() const { return err_.get(); }

  /// Moves what is readable on `fd` (one of the read ends) to the pass-through descriptor and
  /// the log; closes it at EOF. `drain`: read until nothing is left (non-blocking).
  void pump(int fd, bool drain = false);

 private:
  void log(const char* data, size_t len);

  std::string logPath_;
  posix::UniqueFd logFd_;
  off_t logSize_ = 0;
  posix::UniqueFd out_, outWrite_, err_, errWrite_;
};

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_APP_OUTPUT_HPP
