#include "nspawn_parent.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::nspawn {

namespace {

// What `rkt run` passes on: what stops a pod (`rkt stop` signals nspawn itself).
constexpr int kForwarded[] = {SIGTERM, SIGINT, SIGHUP};

[[noreturn]] void runChild(const std::function<void()>& child, pid_t parent) {
  try {
    // A SIGKILL of `rkt run` takes nspawn, and so the pod, with it (as when rkt was nspawn).
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) {
      ::_exit(254);
    }
    // nspawn starts with no signal blocked, whatever rkt blocks.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    child();
    sdk::log(RKT_LOG_ERROR, "cannot run the pod: systemd-nspawn did not start");
  } catch (const std::exception& e) {
    sdk::log(RKT_LOG_ERROR, e.what());
  }
  ::_exit(254);
}

}  // namespace

int runAsParent(const std::function<void()>& child, const std::function<void()>& afterExit) {
  sigset_t waited;
  ::sigemptyset(&waited);
  ::sigaddset(&waited, SIGCHLD);
  for (int sig : kForwarded) {
    ::sigaddset(&waited, sig);
  }
  sigset_t saved;
  ::sigprocmask(SIG_BLOCK, &waited, &saved);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    posix::throwSys("cannot start systemd-nspawn");
  }
  if (pid == 0) {
    runChild(child, parent);
  }
  int status = 0;
  for (;;) {
    siginfo_t info{};
    const int sig = ::sigwaitinfo(&waited, &info);
    if (sig == SIGCHLD) {
      const pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        break;
      }
      if (done < 0 && errno == ECHILD) {
        status = 254 << 8;  // reaped behind our back (SIGCHLD ignored): the status is lost
        break;
      }
    } else if (sig > 0 && info.si_code != SI_KERNEL) {
      // Signals the terminal sends (SI_KERNEL) reach nspawn too, being in our process group.
      ::kill(pid, sig);
    }
  }
  afterExit();
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    ::signal(sig, SIG_DFL);
    sigset_t only;
    ::sigemptyset(&only);
    ::sigaddset(&only, sig);
    ::sigprocmask(SIG_UNBLOCK, &only, nullptr);
    ::raise(sig);
    ::sigprocmask(SIG_SETMASK, &saved, nullptr);
    return 128 + sig;
  }
  ::sigprocmask(SIG_SETMASK, &saved, nullptr);
  return WEXITSTATUS(status);
}

}  // namespace rkt::nspawn
