#include "pod_supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "app_isolation.hpp"
#include "device_cgroup.hpp"
#include "notify.hpp"
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
// The pod's cgroups as nspawn mounts them (its cgroup namespace: the pod's cgroup is the root).
constexpr char kPodCgroupRoot[] = "/sys/fs/cgroup";

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
// unless the pod is interactive (then the app's controlling terminal is the pod's console);
// stdout and stderr go to `output` when there is one.
pid_t spawn(const appexec::PreparedExec& exec, bool interactive,
            const AppOutput* output = nullptr) {
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
  if (output != nullptr) {
    output->redirectChild();
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
      say(name + " handler of app `" + app.name + "` failed with status " + std::to_string(code));
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
  if (app.notify) {
    apps_[i].notifyFd = bindNotifySocket(appRootfsInPod(app.name) + kAppNotifySocket);
    appexec::setEnv(spec.env, "NOTIFY_SOCKET", kAppNotifySocket);
  }
  AppCgroup cgroup = prepareAppCgroup(kPodCgroupRoot, app.name, app.isolation.resources,
                                      [](const std::string& line) {
                                        // rkt's own words, unprefixed.
                                        posix::writeAll(STDERR_FILENO, line + "\n");
                                      });
  if (!apps_[i].devicesCgroupProcs.empty()) {
    cgroup.procsFiles.push_back(apps_[i].devicesCgroupProcs);
  }
  const AppProcessIsolation isolation(app.isolation, std::move(cgroup));
  spec.isolation = &isolation;
  appexec::PreparedExec exec(std::move(spec));
  if (!plan_.interactive) {
    apps_[i].output = std::make_unique<AppOutput>(std::string("/") + layout::kAppLogDir, app.name);
  }
  apps_[i].pid = spawn(exec, plan_.interactive, apps_[i].output.get());
  apps_[i].started = true;
  if (apps_[i].output) {
    apps_[i].output->closeWriteEnds();
  }
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

void PodSupervisor::checkPodReady() {
  if (podReady_) {
    return;
  }
  for (const AppState& a : apps_) {
    if (!a.started || (a.notifyFd.valid() && !a.ready)) {
      return;
    }
  }
  podReady_ = true;
  notifyParent("READY=1\n");
}

void PodSupervisor::handleSignal(int sig) {
  if (sig == SIGCHLD) {
    reap();
  } else if ((sig == SIGTERM || sig == SIGINT || sig == SIGHUP) && !stopping_) {
    stopApps(SIGTERM);
  }
}

void PodSupervisor::waitAndHandle(int signalFd) {
  int timeout = -1;
  if (stopping_ && !killed_) {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    if (!before(now, deadline_)) {
      stopApps(SIGKILL);
      return;
    }
    const long ms =
        (deadline_.tv_sec - now.tv_sec) * 1000L + (deadline_.tv_nsec - now.tv_nsec) / 1000000L + 1;
    timeout = static_cast<int>(ms);
  }
  std::vector<pollfd> fds{{signalFd, POLLIN, 0}};
  std::vector<AppOutput*> owners{nullptr};
  for (AppState& a : apps_) {
    if (a.notifyFd.valid() && !a.ready) {
      fds.push_back({a.notifyFd.get(), POLLIN, 0});
      owners.push_back(nullptr);
    }
    for (int fd : {a.output ? a.output->stdoutFd() : -1, a.output ? a.output->stderrFd() : -1}) {
      if (fd >= 0) {
        fds.push_back({fd, POLLIN, 0});
        owners.push_back(a.output.get());
      }
    }
  }
  if (::poll(fds.data(), fds.size(), timeout) <= 0) {
    return;  // the deadline (checked on the next call) or EINTR
  }
  for (std::size_t k = 1; k < fds.size(); ++k) {
    if (fds[k].revents == 0) {
      continue;
    }
    if (owners[k] != nullptr) {
      owners[k]->pump(fds[k].fd);
      continue;
    }
    for (AppState& a : apps_) {
      if (a.notifyFd.get() == fds[k].fd && receivedReady(fds[k].fd)) {
        a.ready = true;
        checkPodReady();
      }
    }
  }
  if (fds[0].revents & POLLIN) {
    // One signal per wakeup: others pending keep the descriptor readable.
    signalfd_siginfo info{};
    if (::read(signalFd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      handleSignal(static_cast<int>(info.ssi_signo));
    }
  }
}

int PodSupervisor::run() {
  ::sigprocmask(SIG_BLOCK, &signals_, nullptr);
  // Before the apps' rootfs get their /sys: they see the same (rkt's layout).
  openOwnCgroups(kPodCgroupRoot, plan_.ownCgroupHierarchies, say);
  std::vector<ResourceLimits> limits;
  for (std::size_t i = 0; i < apps_.size(); ++i) {
    const AppPlan& app = plan_.apps[i];
    prepareApp(plan_, app);
    limits.push_back(app.isolation.resources);
    if (plan_.protectPaths) {
      apps_[i].devicesCgroupProcs = prepareDeviceCgroup(kPodCgroupRoot, app.name, app.deviceRules);
    }
  }
  preparePodCgroup(kPodCgroupRoot, limits);
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
  checkPodReady();

  posix::UniqueFd signalFd(::signalfd(-1, &signals_, SFD_CLOEXEC));
  if (!signalFd.valid()) {
    posix::throwSys("cannot create a signalfd");
  }
  while (anyRunning()) {
    waitAndHandle(signalFd.get());
  }
  reap();
  // What the apps wrote last (and what their leftovers hold open is not waited for).
  for (AppState& a : apps_) {
    for (int fd : {a.output ? a.output->stdoutFd() : -1, a.output ? a.output->stderrFd() : -1}) {
      if (fd >= 0) {
        a.output->pump(fd, /*drain=*/true);
      }
    }
  }
  ::unlink((std::string("/") + layout::kSupervisorStatus).c_str());
  return exitStatus_;
}

}  // namespace rkt::nspawn
