#include "fly_stage1.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>

#include "fly_pod.hpp"
#include "mount_plan.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/support/appexec/app_exec.hpp"
#include "rkt/support/appexec/child_report.hpp"
#include "rkt/support/appexec/environment.hpp"
#include "rkt/support/appexec/executable.hpp"
#include "rkt/support/appexec/ignored_isolators.hpp"
#include "rkt/support/appexec/mounts.hpp"
#include "rkt/support/appexec/pod_files.hpp"
#include "rkt/support/appexec/pod_lock.hpp"
#include "rkt/support/appexec/root_dir.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/appexec/users.hpp"

namespace rkt::fly {

namespace {

using appexec::composeEnvironment;
using appexec::diagnoseProgram;
using appexec::EnvList;
using appexec::envValue;
using appexec::ExecSpec;
using appexec::fail;
using appexec::findProgram;
using appexec::formatEnvFile;
using appexec::parseEnvFile;
using appexec::PreparedExec;
using appexec::readAll;
using appexec::resolveCredentials;
using appexec::RootDir;
using appexec::setEnv;
using appexec::writeFileAtomic;
using posix::throwSys;

// Names fly in the lines the app's process writes after the point of no return.
constexpr char kCaller[] = "fly";

using protocol::stage1::EnterRequest;
using protocol::stage1::GcRequest;
using protocol::stage1::RunRequest;
using protocol::stage1::StopRequest;

std::string workingDirectory(const FlyPod& pod) {
  return pod.app.workingDirectory.empty() ? "/" : pod.app.workingDirectory;
}

void requireDirectory(const RootDir& root, const std::string& dir) {
  std::optional<struct stat> st = root.stat(dir);
  if (!st) {
    throwSys("cannot change to working directory `" + dir + "` of the app");
  }
  if (!S_ISDIR(st->st_mode)) {
    throwSys("cannot change to working directory `" + dir + "` of the app", ENOTDIR);
  }
}

// Inside the stage1 rootfs (RootDir paths are absolute within it).
std::string envFileDir() {
  return std::string("/") + protocol::layout::kAppEnvDir;
}

void writeEnvFile(const FlyPod& pod, const EnvList& env) {
  RootDir s1(pod.stage1Rootfs());
  const std::string dir = s1.mkdirAll(envFileDir(), 0755);
  posix::UniqueFd fd = s1.openOrThrow(dir, O_PATH | O_DIRECTORY);
  writeFileAtomic(fd.get(), s1.path() + dir, pod.appName(), formatEnvFile(env), 0644);
}

std::optional<EnvList> readEnvFile(const FlyPod& pod) {
  RootDir s1(pod.stage1Rootfs());
  posix::UniqueFd fd = s1.open("/" + protocol::layout::appEnv(pod.appName()), O_RDONLY);
  if (!fd.valid()) {
    return std::nullopt;
  }
  return parseEnvFile(readAll(fd.get(), "the env file of app `" + pod.appName() + "`"));
}

void writePidFiles(const std::string& podDir, pid_t pid, pid_t pgid) {
  posix::UniqueFd dir(::open(podDir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    throwSys("cannot open pod directory `" + podDir + "`");
  }
  // pgid first: whoever sees `pid` may rely on `pgid` being there too.
  writeFileAtomic(dir.get(), podDir, protocol::layout::kPgid, std::to_string(pgid) + "\n", 0644);
  writeFileAtomic(dir.get(), podDir, protocol::layout::kPid, std::to_string(pid) + "\n", 0644);
}

std::optional<pid_t> readPidFile(const std::string& path) {
  posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    throwSys("cannot open `" + path + "`");
  }
  std::string text = readAll(fd.get(), "`" + path + "`");
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  while (end != nullptr && (*end == '\n' || *end == ' ')) {
    ++end;
  }
  if (text.empty() || end == nullptr || *end != '\0' || v <= 0 || v > 0x7fffffff) {
    fail(RKT_E_INVALID, "cannot read `" + path + "`: not a process id");
  }
  return static_cast<pid_t>(v);
}

bool sameFile(int fd, const char* path) {
  struct stat a {};
  struct stat b {};
  return ::fstat(fd, &a) == 0 && ::stat(path, &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

// The enter child: everything after fork (runReportingChild reports what it throws).
[[noreturn]] void enterChild(const FlyPod& pod, const EnterRequest& req, int nsFd, bool joinNs,
                             int errFd, const appexec::SavedSignals& sigs) {
  if (joinNs && ::setns(nsFd, CLONE_NEWNS) != 0) {
    throwSys("cannot join the mount namespace of pod process " + std::to_string(req.pid));
  }
  RootDir root(pod.appRootfs());
  EnvList env = readEnvFile(pod).value_or(
      composeEnvironment(appexec::toEnvList(pod.app.environment), pod.appName()));
  const char* term = std::getenv("TERM");
  setEnv(env, "TERM", term != nullptr ? term : "vt100");
  ExecSpec spec;
  spec.caller = kCaller;
  spec.rootFd = root.fd();
  spec.workDir = "/";
  spec.credentials = resolveCredentials(root, appexec::credentialsRequest(pod.app, pod.image));
  spec.program = findProgram(root, req.command.front(), spec.workDir, envValue(env, "PATH", ""));
  if (std::optional<std::string> diag = diagnoseProgram(root, spec.program)) {
    fail(RKT_E_NOT_FOUND, *diag, ENOENT);
  }
  spec.argv = req.command;
  spec.env = std::move(env);
  spec.errorFd = errFd;
  spec.restoreSignals = sigs;
  PreparedExec exec(std::move(spec));
  exec.execApp();
}

// What fly cannot honour is said, not silently dropped (rkt's fly ignored these quietly): it
// shares the host's UTS, network and IPC namespaces and applies no isolator.
void warnIgnoredOptions(const FlyPod& pod, const RunRequest& req) {
  auto warn = [](const std::string& line) { sdk::log(RKT_LOG_WARNING, line); };
  if (!req.hostname.empty() && req.hostname != "rkt-" + req.uuid) {
    warn("--hostname is ignored by stage1 `fly`: the pod has the host's hostname");
  }
  for (const std::string& net : req.net) {
    if (!net.empty() && net != "host" && net != "default") {
      warn("--net=" + net + " is ignored by stage1 `fly`: the pod uses the host's network");
    }
  }
  if (req.ipc == "private") {
    warn("--ipc=private is ignored by stage1 `fly`: the pod uses the host's IPC namespace");
  }
  for (const std::string& line :
       appexec::ignoredIsolatorWarnings("fly", "", pod.manifest.isolators)) {
    warn(line);
  }
  for (const std::string& line :
       appexec::ignoredIsolatorWarnings("fly", pod.appName(), pod.app.isolators)) {
    warn(line);
  }
}

}  // namespace

FlyStage1::FlyStage1(const std::string& /*configJson*/) {}

std::string FlyStage1::describe() {
  protocol::stage1::DescribeResult d;
  d.maxApps = 1;
  d.isolation = "chroot";
  // fly writes no rkt/status/<app> (as rkt's fly): its app's exit status is `rkt run`'s only.
  d.exitStatusPreserved = false;
  return protocol::encode(d);
}

int FlyStage1::run(const std::string& json) {
  const auto req = protocol::decode<RunRequest>(json);
  appexec::checkPodLockFd(req.lockFd, req.podDir);
  const FlyPod pod = loadFlyPod(req.podDir);
  warnIgnoredOptions(pod, req);
  RootDir root(pod.appRootfs());
  const std::string workDir = workingDirectory(pod);

  EnvList env = composeEnvironment(appexec::toEnvList(pod.app.environment), pod.appName());
  writeEnvFile(pod, env);
  appexec::ensureMtab(root);
  appexec::applyMounts(root, planMounts(pod, req, root));

  requireDirectory(root, workDir);
  ExecSpec spec;
  spec.caller = kCaller;
  spec.rootFd = root.fd();
  spec.workDir = workDir;
  spec.credentials = resolveCredentials(root, appexec::credentialsRequest(pod.app, pod.image));
  spec.program = findProgram(root, pod.app.exec.front(), workDir, envValue(env, "PATH", ""));
  if (std::optional<std::string> diag = diagnoseProgram(root, spec.program)) {
    fail(RKT_E_NOT_FOUND, *diag, ENOENT);
  }
  spec.argv = pod.app.exec;
  spec.env = std::move(env);
  spec.inheritFd = req.lockFd;
  PreparedExec exec(std::move(spec));

  // This process becomes the app: its pid is the app's, its process group the one to stop.
  writePidFiles(req.podDir, ::getpid(), ::getpgrp());
  sdk::log(RKT_LOG_DEBUG, "executing `" + pod.app.exec.front() + "` in " + root.path());
  exec.execApp();
}

int FlyStage1::enter(const std::string& json) {
  const auto req = protocol::decode<EnterRequest>(json);
  const FlyPod pod = loadFlyPod(req.podDir, req.app);

  const std::string nsPath = "/proc/" + std::to_string(req.pid) + "/ns/mnt";
  posix::UniqueFd ns(::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns.valid()) {
    throwSys("cannot enter pod `" + req.uuid + "`: cannot open `" + nsPath + "`");
  }
  const bool joinNs = !sameFile(ns.get(), "/proc/self/ns/mnt");

  return appexec::runReportingChild("cannot enter pod `" + req.uuid + "`",
                                    [&](int errFd, const appexec::SavedSignals& saved) {
                                      enterChild(pod, req, ns.get(), joinNs, errFd, saved);
                                    });
}

void FlyStage1::stop(const std::string& json) {
  const auto req = protocol::decode<StopRequest>(json);
  const int sig = req.force ? SIGKILL : SIGTERM;
  const std::string pidPath = req.podDir + "/" + protocol::layout::kPid;
  std::optional<pid_t> pid = readPidFile(pidPath);
  if (!pid) {
    fail(RKT_E_NOT_FOUND, "cannot stop pod `" + req.uuid + "`: `" + pidPath + "` does not exist",
         ENOENT);
  }
  // Children the app left behind keep the pod lock; they are in its process group. Never
  // signal our own group (a stop run from the same job as the pod).
  std::optional<pid_t> pgid = readPidFile(req.podDir + "/" + protocol::layout::kPgid);
  const bool signalGroup = pgid && *pgid > 1 && *pgid != ::getpgrp();
  // When the app leads its group, one signal to the group reaches it exactly once.
  if (!(signalGroup && *pgid == *pid) && ::kill(*pid, sig) != 0 && errno != ESRCH) {
    throwSys("cannot stop pod `" + req.uuid + "`: cannot signal process " + std::to_string(*pid));
  }
  if (signalGroup && ::kill(-*pgid, sig) != 0 && errno != ESRCH) {
    throwSys("cannot stop pod `" + req.uuid + "`: cannot signal process group " +
             std::to_string(*pgid));
  }
}

void FlyStage1::gc(const std::string& json) {
  const auto req = protocol::decode<GcRequest>(json);
  sdk::log(RKT_LOG_DEBUG, "nothing to collect for pod `" + req.uuid + "`");
}

}  // namespace rkt::fly
