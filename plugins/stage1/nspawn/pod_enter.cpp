#include "pod_enter.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>

#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/app_exec.hpp"
#include "rkt/support/appexec/child_report.hpp"
#include "rkt/support/appexec/environment.hpp"
#include "rkt/support/appexec/executable.hpp"
#include "rkt/support/appexec/root_dir.hpp"
#include "rkt/support/appexec/sys.hpp"

namespace rkt::nspawn {

namespace {

using appexec::fail;
using posix::throwSys;

constexpr char kDefaultShell[] = "/bin/bash";
constexpr char kFallbackShell[] = "/bin/sh";

struct PodNamespaces {
  std::vector<std::pair<int, posix::UniqueFd>> ns;  // CLONE_* type, descriptor
  posix::UniqueFd root;
};

PodNamespaces openNamespaces(pid_t pid, const std::string& uuid) {
  PodNamespaces out;
  const std::string proc = "/proc/" + std::to_string(pid);
  // rkt's order: the mount namespace last, the root taken before it. The user namespace
  // (--private-users) first: the others belong to it. Namespaces the pod shares with us (the
  // host's network with --net=host) are not joined: from inside the pod's user namespace that
  // would be refused, and it changes nothing.
  const std::pair<const char*, int> kinds[] = {{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC},
                                               {"uts", CLONE_NEWUTS},   {"net", CLONE_NEWNET},
                                               {"pid", CLONE_NEWPID},   {"mnt", CLONE_NEWNS}};
  for (const auto& [name, type] : kinds) {
    const std::string path = proc + "/ns/" + name;
    posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
      throwSys("cannot enter pod `" + uuid + "`: cannot open `" + path + "`");
    }
    struct stat theirs {};
    struct stat ours {};
    if (::fstat(fd.get(), &theirs) == 0 &&
        ::stat(("/proc/self/ns/" + std::string(name)).c_str(), &ours) == 0 &&
        theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev) {
      continue;
    }
    out.ns.emplace_back(type, std::move(fd));
  }
  out.root = posix::UniqueFd(::open((proc + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!out.root.valid()) {
    throwSys("cannot enter pod `" + uuid + "`: cannot open `" + proc + "/root`");
  }
  return out;
}

// The grandchild, inside the pod: chroot into the app and exec the command.
[[noreturn]] void execInApp(const std::string& app, std::vector<std::string> command, int errFd,
                            const appexec::SavedSignals& sigs) {
  try {
    appexec::RootDir root("/" + protocol::layout::stage2AppRootfs(app));
    appexec::RootDir s1("/");
    appexec::EnvList env = appexec::parseEnvFile(s1.readFile("/" + protocol::layout::appEnv(app)));
    const char* term = std::getenv("TERM");
    appexec::setEnv(env, "TERM", term != nullptr ? term : "vt100");
    if (command.size() == 1 && command.front() == kDefaultShell && !root.stat(kDefaultShell)) {
      const std::string note = std::string("nspawn: app `") + app + "` has no " + kDefaultShell +
                               ", running " + kFallbackShell + "\n";
      posix::writeAll(STDERR_FILENO, note);
      command.front() = kFallbackShell;
    }
    appexec::ExecSpec spec;
    spec.caller = "nspawn";
    spec.rootFd = root.fd();
    spec.workDir = "/";
    spec.program = appexec::findProgram(root, command.front(), spec.workDir,
                                        appexec::envValue(env, "PATH", ""));
    if (std::optional<std::string> diag = appexec::diagnoseProgram(root, spec.program)) {
      fail(RKT_E_NOT_FOUND, *diag, ENOENT);
    }
    spec.argv = std::move(command);
    spec.env = std::move(env);
    spec.errorFd = errFd;
    spec.restoreSignals = sigs;
    appexec::PreparedExec exec(std::move(spec));
    exec.execApp();
  } catch (const std::exception& e) {
    appexec::reportChildError(errFd, e);
  }
  ::_exit(254);
}

// The child: joins the namespaces (the PID namespace applies to its children), forks the
// command and exits with its status (runReportingChild reports what it throws).
[[noreturn]] void enterChild(PodNamespaces& ns, const std::string& app,
                             const std::vector<std::string>& command, int errFd,
                             const appexec::SavedSignals& sigs) {
  for (const auto& [type, fd] : ns.ns) {
    // Host root has no id in the pod's user namespace: the pod's root (the shift) is uid 0
    // there, as nsenter does. No supplementary groups of ours come along.
    if (type == CLONE_NEWUSER && ::setgroups(0, nullptr) != 0) {
      throwSys("cannot drop supplementary groups before joining the pod");
    }
    if (::setns(fd.get(), type) != 0) {
      throwSys("cannot join the pod's namespaces");
    }
    if (type == CLONE_NEWUSER && (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)) {
      throwSys("cannot become root of the pod's user namespace");
    }
  }
  if (::fchdir(ns.root.get()) != 0 || ::chroot(".") != 0 || ::chdir("/") != 0) {
    throwSys("cannot change to the pod's root");
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    throwSys("cannot fork into the pod");
  }
  if (pid == 0) {
    execInApp(app, command, errFd, sigs);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::_exit(WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
}

}  // namespace

int enterPod(pid_t pid, const std::string& app, std::vector<std::string> command,
             const std::string& uuid) {
  if (command.empty()) {
    command.push_back(kDefaultShell);
  }
  PodNamespaces ns = openNamespaces(pid, uuid);
  return appexec::runReportingChild("cannot enter pod `" + uuid + "`",
                                    [&](int errFd, const appexec::SavedSignals& saved) {
                                      enterChild(ns, app, command, errFd, saved);
                                    });
}

}  // namespace rkt::nspawn
