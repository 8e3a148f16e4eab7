#include "pod_supervisor.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "prepare_app.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/app_exec.hpp"
#include "rkt/support/appexec/environment.hpp"
#include "rkt/support/appexec/root_dir.hpp"
#include "rkt/support/appexec/sys.hpp"

namespace rkt::nspawn {

namespace {

namespace layout = protocol::layout;

constexpr char kCaller[] = "supervisor";

void say(const std::string& line) {
  posix::writeAll(STDERR_FILENO, std::string(kCaller) + ": " + line + "\n");
}

appexec::EnvList appEnvironment(const std::string& app) {
  appexec::RootDir s1("/");
  return appexec::parseEnvFile(s1.readFile("/" + layout::appEnv(app)));
}

void writeStatus(const std::string& app, int status) {
  const std::string dir = std::string("/") + layout::kAppStatusDir;
  posix::UniqueFd fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    say("cannot open `" + dir + "`: " + posix::errnoText(errno));
    return;
  }
  try {
    appexec::writeFileAtomic(fd.get(), dir, app, std::to_string(status), 0644);
  } catch (const std::exception& e) {
    say(e.what());
  }
}

// Forks `exec` as the app's process, in its own session; returns its pid. Stdin is /dev/null
// unless the pod is interactive (then the app's controlling terminal is the pod's console).
pid_t spawn(const appexec::PreparedExec& exec, bool interactive) {
  const pid_t pid = ::fork();
  if (pid < 0) {
    posix::throwSys("cannot fork");
  }
  if (pid != 0) {
    return pid;
  }
  ::setsid();
  if (interactive) {
    ::ioctl(STDIN_FILENO, TIOCSCTTY, 0);
  } else {
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0 && null != STDIN_FILENO) {
      ::dup2(null, STDIN_FILENO);
      ::close(null);
    }
  }
  exec.execApp();
}

bool before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

}  // namespace

int appStatusOf(int waitStatus) {
  if (WIFEXITED(waitStatus)) {
    return WEXITSTATUS(waitStatus);
  }
  if (WIFSIGNALED(waitStatus)) {
    return WTERMSIG(waitStatus);
  }
  return 1;
}

PodSupervisor::PodSupervisor(PodPlan plan) : plan_(std::move(plan)), apps_(plan_.apps.size()) {
  ::sigemptyset(&signals_);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) {
    ::sigaddset(&signals_, sig);
  }
}

int PodSupervisor::runHandlers(std::size_t i, const std::string& name) {
  const AppPlan& app = plan_.apps[i];
  for (const EventHandler& h : app.handlers) {
    if (h.name != name || h.exec.empty()) {
      continue;
    }
    appexec::RootDir root(appRootfsInPod(app.name));
    appexec::ExecSpec spec;
    spec.caller = kCaller;
    spec.rootFd = root.fd();
    spec.workDir = "/";
    spec.program = h.exec.front();
    spec.argv = h.exec;
    spec.env = appEnvironment(app.name);
    appexec::PreparedExec exec(std::move(spec));
    const pid_t pid = spawn(exec, false);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (const int code = appStatusOf(status); code != 0) {
      say(name + " handler of app `" + app.name + "` failed with status " +
          std::to_string(code));
      return code;
    }
  }
  return 0;
}

void PodSupervisor::startApp(std::size_t i) {
  const AppPlan& app = plan_.apps[i];
  if (const int code = runHandlers(i, "pre-start"); code != 0) {
    writeStatus(app.name, code);
    recordFailure(code);
    return;
  }
  appexec::RootDir root(appRootfsInPod(app.name));
  appexec::ExecSpec spec;
  spec.caller = kCaller;
  spec.rootFd = root.fd();
  spec.workDir = app.workDir;
  spec.credentials.uid = app.uid;
  spec.credentials.gid = app.gid;
  spec.credentials.supplementaryGids = app.supplementaryGids;
  spec.program = app.program;
  spec.argv = app.argv;
  spec.env = appEnvironment(app.name);
  appexec::PreparedExec exec(std::move(spec));
  apps_[i].pid = spawn(exec, plan_.interactive);
  apps_[i].started = true;
}

void PodSupervisor::recordFailure(int status) {
  if (!failed_) {
    failed_ = true;
    exitStatus_ = status;
  }
  if (!stopping_) {
    stopApps(SIGTERM);
  }
}

void PodSupervisor::stopApps(int sig) {
  if (sig == SIGTERM) {
    stopping_ = true;
    ::clock_gettime(CLOCK_MONOTONIC, &deadline_);
    deadline_.tv_sec += plan_.stopTimeout;
  } else {
    killed_ = true;
  }
  for (AppState& a : apps_) {
    if (a.pid > 0) {
      a.stopRequested = true;
      // The app leads its own session and process group: what it started goes too.
      ::kill(-a.pid, sig);
      ::kill(a.pid, sig);
    }
  }
}

void PodSupervisor::appExited(std::size_t i, int waitStatus) {
  AppState& a = apps_[i];
  const AppPlan& app = plan_.apps[i];
  a.pid = 0;
  const int status = appStatusOf(waitStatus);
  writeStatus(app.name, status);
  runHandlers(i, "post-stop");
  if (status != 0 && !a.stopRequested) {
    recordFailure(status);
  }
}

void PodSupervisor::reap() {
  for (;;) {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) {
      return;
    }
    for (std::size_t i = 0; i < apps_.size(); ++i) {
      if (apps_[i].pid == pid) {
        appExited(i, status);
        break;
      }
    }
  }
}

bool PodSupervisor::anyRunning() const {
  for (const AppState& a : apps_) {
    if (a.pid > 0) {
      return true;
    }
  }
  return false;
}

void PodSupervisor::markReady() {
  const std::string path = std::string("/") + layout::kSupervisorStatus;
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  if (::symlink("ready", tmp.c_str()) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    say("cannot write `" + path + "`: " + posix::errnoText(errno));
  }
}

int PodSupervisor::run() {
  ::sigprocmask(SIG_BLOCK, &signals_, nullptr);
  for (const AppPlan& app : plan_.apps) {
    prepareApp(plan_, app);
  }
  for (std::size_t i = 0; i < apps_.size() && !stopping_; ++i) {
    try {
      startApp(i);
    } catch (const std::exception& e) {
      say("cannot start app `" + plan_.apps[i].name + "`: " + e.what());
      writeStatus(plan_.apps[i].name, 254);
      recordFailure(254);
    }
  }
  markReady();

  while (anyRunning()) {
    siginfo_t info{};
    int sig;
    if (stopping_ && !killed_) {
      timespec now{};
      ::clock_gettime(CLOCK_MONOTONIC, &now);
      if (!before(now, deadline_)) {
        stopApps(SIGKILL);
        continue;
      }
      timespec wait{deadline_.tv_sec - now.tv_sec, deadline_.tv_nsec - now.tv_nsec};
      if (wait.tv_nsec < 0) {
        wait.tv_sec -= 1;
        wait.tv_nsec += 1000000000L;
      }
      sig = ::sigtimedwait(&signals_, &info, &wait);
    } else {
      sig = ::sigwaitinfo(&signals_, &info);
    }
    if (sig == SIGCHLD) {
      reap();
    } else if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP) {
      if (!stopping_) {
        stopApps(SIGTERM);
      }
    }
  }
  reap();
  ::unlink((std::string("/") + layout::kSupervisorStatus).c_str());
  return exitStatus_;
}

}  // namespace rkt::nspawn
