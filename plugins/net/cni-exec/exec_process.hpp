// One run of an external program with the CNI exec protocol's plumbing: an environment on top
// of ours, bytes on stdin, stdout and stderr collected, and a deadline after which the program
// is killed. Poco::Process launches; this file only feeds and drains its pipes without
// blocking, so a plugin that never reads stdin or never exits cannot hang rkt.
#ifndef RKT_PLUGINS_NET_CNI_EXEC_EXEC_PROCESS_HPP
#define RKT_PLUGINS_NET_CNI_EXEC_EXEC_PROCESS_HPP

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace rkt::cniexec {

struct ExecOutcome {
  int exitStatus = -1;  ///< the exit status; -1 when killed at the deadline
  bool timedOut = false;
  std::string out;
  std::string err;
};

/// Runs `path` (no arguments) with `env` added to this process's environment. Throws
/// sdk::Error when the program cannot be started.
ExecOutcome execWithTimeout(const std::string& path, const std::map<std::string, std::string>& env,
                            const std::string& input, std::chrono::milliseconds timeout);

}  // namespace rkt::cniexec

#endif  // RKT_PLUGINS_NET_CNI_EXEC_EXEC_PROCESS_HPP
