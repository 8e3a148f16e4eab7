// The pod's PID 1: prepares and starts every app, reaps every process, writes
// `/rkt/status/<app>`, and applies rkt's immutable-pod rules (rkt-notes §3.6.3): when an app
// fails the others are stopped and the pod exits with the first failing app's status; SIGTERM
// stops every app, SIGKILL follows after the plan's timeout; `/rkt/supervisor-status -> ready`
// once every app has started.
#ifndef RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_POD_SUPERVISOR_HPP
#define RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_POD_SUPERVISOR_HPP

#include <signal.h>
#include <sys/types.h>

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "app_output.hpp"
#include "pod_plan.hpp"

namespace rkt::nspawn {

class PodSupervisor {
 public:
  explicit PodSupervisor(PodPlan plan);
  /// Runs the pod to its end; returns its exit status. Throws only before any app started.
  int run();

 private:
  struct AppState {
    pid_t pid = 0;  ///< 0: not running
    bool started = false;
    bool stopRequested = false;         ///< we signalled it: its death is not a failure
    std::unique_ptr<AppOutput> output;  ///< null in an interactive pod (the app has the tty)
    posix::UniqueFd notifyFd;           ///< the app's notify socket, when its image supports it
    std::string devicesCgroupProcs;     ///< "": no device policy (device_cgroup.hpp)
    bool ready = false;                 ///< it sent READY=1
  };

  void startApp(std::size_t i);
  /// Runs the app's handlers called `name` one after the other, as root in the app's rootfs;
  /// returns the first non-zero status (0 when all succeed).
  int runHandlers(std::size_t i, const std::string& name);
  void appExited(std::size_t i, int waitStatus);
  void recordFailure(int status);
  void stopApps(int sig);
  void reap();
  bool anyRunning() const;
  void markReady();
  /// Waits for a signal or app output (up to the stop deadline) and handles it.
  void waitAndHandle(int signalFd);
  void handleSignal(int sig);
  /// Sends READY=1 to NOTIFY_SOCKET once every app started and every notify app is ready.
  void checkPodReady();

  PodPlan plan_;
  std::vector<AppState> apps_;
  sigset_t signals_{};
  bool stopping_ = false;
  bool killed_ = false;
  timespec deadline_{};
  bool failed_ = false;
  int exitStatus_ = 0;
  bool podReady_ = false;
};

/// The status rkt records for an app: its exit code, or the number of the signal that killed it
/// (systemd's ExecMainStatus, which rkt's reaper wrote).
int appStatusOf(int waitStatus);

}  // namespace rkt::nspawn

#endif  // RKT_PLUGINS_STAGE1_NSPAWN_SUPERVISOR_POD_SUPERVISOR_HPP
