// Becoming the app: chroot into its rootfs, change to its working directory, take its
// credentials and execve its program. Everything that can be checked is checked before (so
// errors can still be returned to the core); this is the point of no return.
#ifndef RKT_SUPPORT_APPEXEC_APP_EXEC_HPP
#define RKT_SUPPORT_APPEXEC_APP_EXEC_HPP

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "rkt/support/appexec/environment.hpp"
#include "rkt/support/appexec/users.hpp"

namespace rkt::appexec {

/// Process-level isolators (rlimits, oom_score_adj, capabilities, no_new_privs, seccomp) a pod
/// supervisor applies around the change of credentials. Both steps run in the forked child:
/// only system calls there, everything computed before the fork.
class ExecIsolation {
 public:
  virtual ~ExecIsolation() = default;
  /// As root, before chroot (so /proc is the pod's): rlimits, oom_score_adj, the capability
  /// bounding set. Returns nullptr, or what failed with errno set.
  virtual const char* beforeCredentials() const = 0;
  /// With the app's credentials, just before execve: ambient capabilities, no_new_privs,
  /// seccomp (last: the filter may forbid what came before).
  virtual const char* afterCredentials() const = 0;
};

struct ExecSpec {
  /// Starts the failure lines of execApp() ("fly: cannot chroot into the app rootfs: …"): the
  /// flavor or supervisor that runs the app.
  std::string caller;
  int rootFd = -1;      ///< the app rootfs (an O_PATH directory descriptor)
  std::string workDir;  ///< inside the rootfs
  Credentials credentials;
  std::string program;  ///< path inside the rootfs handed to execve
  std::vector<std::string> argv;
  EnvList env;
  /// A descriptor the app keeps (FD_CLOEXEC cleared): the pod lock. -1: none.
  int inheritFd = -1;
  /// Where the failure line goes when something fails after the point of no return (stderr
  /// for run; a pipe to the parent for enter).
  int errorFd = 2;
  /// Signal dispositions to put back before execve (enter ignores SIGINT/SIGQUIT while it
  /// waits, its child must not).
  std::vector<std::pair<int, struct sigaction>> restoreSignals;
  /// Applied around setgroups/setresgid/setresuid when set (not owned).
  const ExecIsolation* isolation = nullptr;
};

/// Everything execApp() needs, prepared up front so that execApp() itself only makes system
/// calls (it may run in a child forked from a multithreaded process).
class PreparedExec {
 public:
  explicit PreparedExec(ExecSpec spec);
  PreparedExec(const PreparedExec&) = delete;
  PreparedExec& operator=(const PreparedExec&) = delete;

  /// chroot, chdir, setgroups/setresgid/setresuid, signal mask cleared, execve. On failure
  /// writes one line to the spec's errorFd (rkt's diagnostic for a program that cannot be
  /// executed) and _exit(254)s.
  [[noreturn]] void execApp() const;

 private:
  [[noreturn]] void die(const char* what, int err) const;

  ExecSpec spec_;
  std::vector<std::string> environ_;
  std::vector<char*> argvPtrs_;
  std::vector<char*> envPtrs_;
  std::string unableToOpen_;  // "Error: Unable to open \"<program>\": "
  std::string unableToExec_;  // "Error: Unable to execute \"<program>\": "
  std::string callerPrefix_;  // "<caller>: "
  std::string cannotChdir_;   // "<caller>: cannot change to working directory `<dir>`: "
};

}  // namespace rkt::appexec

#endif  // RKT_SUPPORT_APPEXEC_APP_EXEC_HPP
