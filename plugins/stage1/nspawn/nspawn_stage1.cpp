#include "nspawn_stage1.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <set>
#include <sstream>
#include <string_view>

#include "host_systemd.hpp"
#include "isolators/linux_names.hpp"
#include "nspawn_command.hpp"
#include "nspawn_parent.hpp"
#include "nspawn_pod.hpp"
#include "pod_cgroup.hpp"
#include "pod_enter.hpp"
#include "pod_userns.hpp"
#include "rkt/schema/isolator.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/sdk/protocol/stage1.hpp"
#include "rkt/support/appexec/ignored_isolators.hpp"
#include "rkt/support/appexec/pod_lock.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "stage1_prepare.hpp"

extern char** environ;

namespace rkt::nspawn {

namespace {

using appexec::fail;
using posix::throwSys;
using protocol::stage1::EnterRequest;
using protocol::stage1::GcRequest;
using protocol::stage1::RunRequest;
using protocol::stage1::StopRequest;

// Where the supervisor is installed, relative to the directory of stage1-nspawn.so.
constexpr char kSupervisorRelPath[] = "stage1-nspawn/supervisor";
// nspawn's per-machine directories on the host; without machined nothing uses them, and on a
// host whose /run is not a tmpfs nspawn cannot remove them ("Attempted to remove disk file
// system"): the pod gets a tmpfs there in its own mount namespace.
constexpr char kNspawnRunDir[] = "/run/systemd/nspawn";

std::string dirOf(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string supervisorPath() {
  Dl_info info{};
  std::string self;
  if (::dladdr(reinterpret_cast<void*>(&supervisorPath), &info) != 0 && info.dli_fname != nullptr) {
    self = info.dli_fname;
  }
  std::string candidate = dirOf(self) + "/" + kSupervisorRelPath;
  if (::access(candidate.c_str(), X_OK) != 0) {
    char real[PATH_MAX];
    if (::realpath(self.c_str(), real) != nullptr) {
      candidate = dirOf(real) + "/" + kSupervisorRelPath;
    }
  }
  if (::access(candidate.c_str(), X_OK) != 0) {
    throwSys("cannot find the pod supervisor `" + candidate + "`");
  }
  return candidate;
}

// systemd-nspawn in PATH (or the usual directories when PATH is unset).
std::string findNspawn() {
  const char* env = std::getenv("PATH");
  std::istringstream dirs(env != nullptr && *env != '\0' ? env : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string p = (dir.empty() ? "." : dir) + "/systemd-nspawn";
    if (::access(p.c_str(), X_OK) == 0) {
      return p;
    }
  }
  fail(RKT_E_NOT_FOUND,
       "cannot run the pod: systemd-nspawn is not installed (Debian package systemd-container)",
       ENOENT);
}

// host, none, or "contained" (any named networks: the core set them up in $POD/netns).
std::string networkMode(const std::vector<std::string>& nets) {
  std::vector<std::string> names;
  for (const std::string& entry : nets) {
    std::istringstream in(entry);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (!item.empty()) {
        names.push_back(item.substr(0, item.find(':')));
      }
    }
  }
  if (names.size() == 1 && (names.front() == "host" || names.front() == "none")) {
    return names.front();
  }
  return "contained";
}

bool shareIpc(const std::string& ipc) {
  if (ipc == "parent") {
    return true;
  }
  if (ipc.empty() || ipc == "auto" || ipc == "private") {
    return false;
  }
  protocol::invalidField<RunRequest>("ipc",
                                     "unknown IPC mode `" + ipc + "` (auto, private or parent)");
}

void privateNspawnRunDir() {
  if (::mkdir(kNspawnRunDir, 0755) != 0 && errno != EEXIST) {
    ::mkdir("/run/systemd", 0755);
    if (::mkdir(kNspawnRunDir, 0755) != 0 && errno != EEXIST) {
      throwSys(std::string("cannot create `") + kNspawnRunDir + "`");
    }
  }
  if (::mount("tmpfs", kNspawnRunDir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) {
    throwSys(std::string("cannot mount a tmpfs on `") + kNspawnRunDir + "`");
  }
}

std::optional<pid_t> readPidFile(const std::string& path) {
  Result<std::string> text = posix::readFileAt(AT_FDCWD, path);
  if (!text) {
    if (text.error().sysErrno == ENOENT) {
      return std::nullopt;
    }
    posix::throwError(text.error());
  }
  char* end = nullptr;
  const long v = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str() || v <= 1 || v > 0x7fffffff) {
    fail(RKT_E_INVALID, "cannot read `" + path + "`: not a process id");
  }
  return static_cast<pid_t>(v);
}

std::vector<pid_t> childrenOf(pid_t pid) {
  const std::string p = std::to_string(pid);
  Result<std::string> text = posix::readFileAt(AT_FDCWD, "/proc/" + p + "/task/" + p + "/children");
  std::vector<pid_t> out;
  std::istringstream in(text ? *text : std::string());
  long v = 0;
  while (in >> v) {
    out.push_back(static_cast<pid_t>(v));
  }
  return out;
}

// The union of the capabilities the apps keep, by name.
std::vector<std::string> keptCapabilities(const PodPlan& plan) {
  std::set<unsigned> all;
  for (const AppPlan& app : plan.apps) {
    all.insert(app.isolation.capabilities.begin(), app.isolation.capabilities.end());
  }
  std::vector<std::string> out;
  for (unsigned c : all) {
    out.push_back(capabilityName(c));
  }
  return out;
}

// The isolators the supervisor applies (isolators/app_isolation.hpp).
bool appliedIsolator(const std::string& name) {
  namespace n = schema::isolator;
  for (std::string_view applied :
       {n::kCapabilitiesRetainSet, n::kCapabilitiesRemoveSet, n::kSeccompRetainSet,
        n::kSeccompRemoveSet, n::kNoNewPrivileges, n::kOomScoreAdj, n::kResourceMemory,
        n::kResourceCpu, n::kCpuShares}) {
    if (name == applied) {
      return true;
    }
  }
  return false;
}

// Other isolators (block and network bandwidth, sysctl, selinux, apparmor) are not applied
// yet: said, not silently dropped. (Port forwarding is the core's, with the pod's network.)
void warnIgnoredOptions(const NspawnPod& pod) {
  for (const std::string& line :
       appexec::ignoredIsolatorWarnings("nspawn", "", pod.manifest.isolators)) {
    sdk::log(RKT_LOG_WARNING, line);
  }
  for (const PodApp& app : pod.apps) {
    schema::Isolators ignored;
    std::copy_if(app.app.isolators.begin(), app.app.isolators.end(), std::back_inserter(ignored),
                 [](const schema::Isolator& i) { return !appliedIsolator(i.name); });
    for (const std::string& line :
         appexec::ignoredIsolatorWarnings("nspawn", app.name(), ignored)) {
      sdk::log(RKT_LOG_WARNING, line);
    }
  }
}

[[noreturn]] void execNspawn(const std::string& nspawn, std::vector<std::string>& argv,
                             std::vector<std::string>& env) {
  std::vector<char*> argvPtrs;
  for (std::string& a : argv) {
    argvPtrs.push_back(a.data());
  }
  argvPtrs.push_back(nullptr);
  std::vector<char*> envPtrs;
  for (std::string& e : env) {
    envPtrs.push_back(e.data());
  }
  envPtrs.push_back(nullptr);
  ::execve(nspawn.c_str(), argvPtrs.data(), envPtrs.data());
  throwSys("cannot execute `" + nspawn + "`");
}

}  // namespace

NspawnStage1::NspawnStage1(const std::string& configJson) {
  if (protocol::decode<protocol::stage1::Config>(configJson).runFollows) {
    cgroupWarmup_ = std::make_unique<CgroupWarmup>(ownCgroupProcs());
  }
}

std::string NspawnStage1::describe() {
  protocol::stage1::DescribeResult d;
  d.maxApps = 0;
  d.isolation = "namespaces";
  d.networking = true;  // runs pods in the core's netns ($POD/netns)
  d.exitStatusPreserved = true;
  d.userNamespaces = true;
  return protocol::encode(d);
}

int NspawnStage1::run(const std::string& json) {
  const auto req = protocol::decode<RunRequest>(json);
  appexec::checkPodLockFd(req.lockFd, req.podDir);

  NspawnOptions o;
  o.nspawn = findNspawn();
  o.net = networkMode(req.net);
  o.shareIpc = shareIpc(req.ipc);
  o.uuid = req.uuid;
  o.debug = req.debug;
  const Registration registration = decideRegistration(probeHostSystemd());
  o.hostRunsSystemd = registration.linkJournal;
  o.registerMachine = registration.registerMachine;
  o.keepUnit = registration.keepUnit;
  const char* notifySocket = std::getenv("NOTIFY_SOCKET");
  o.notifyReady = notifySocket != nullptr && *notifySocket != '\0';
  o.allCapabilities = req.insecure.capabilities;
  o.writableApiVfs = req.insecure.paths;
  if (req.interactive) {
    o.console = "interactive";
  } else if (::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1) {
    o.console = "read-only";
  }
  if (o.net == "contained") {
    // The core created the pod's netns and attached its networks (rkt-notes §5.4).
    auto path = posix::readFileAt(AT_FDCWD, req.podDir + "/" + protocol::layout::kNetns);
    if (path && !path->empty()) {
      o.netnsPath = *path;
    }
  }

  const NspawnPod pod = loadNspawnPod(req.podDir);
  warnIgnoredOptions(pod);
  if (req.interactive && pod.apps.size() > 1) {
    fail(RKT_E_INVALID, "interactive option only supports pods with one app");
  }
  PreparedStage1 prepared = prepareStage1(pod, req, supervisorPath());
  const uid_t shift = req.privateUsers.empty() ? 0 : privateUsersShift(req.privateUsers);
  if (shift != 0) {
    shiftPodTrees(pod, shift);
    o.privateUsers = req.privateUsers;
  }
  o.stage1Rootfs = pod.stage1Rootfs();
  o.hostname = prepared.plan.hostname;
  o.supervisor = kSupervisorInPod;
  o.binds = std::move(prepared.binds);
  o.capabilities = keptCapabilities(prepared.plan);
  o.unifiedCgroups = hostHasUnifiedCgroups();

  // Before the join (a late warm-up write would move the process back) and before execve.
  cgroupWarmup_.reset();
  // rkt's stage1 makes the pod's mounts shared as well as slaves of the host's (stage0 made
  // them slaves): a mount made later in this namespace reaches the pod's (nspawn's copies are
  // its slaves), and still nothing goes back to the host.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr) != 0) {
    throwSys("cannot make the pod's mounts shared");
  }
  PodCgroups podCgroups;
  if (!o.registerMachine) {
    std::vector<std::string> appNames;
    for (const AppPlan& app : prepared.plan.apps) {
      appNames.push_back(app.name);
    }
    podCgroups = createPodCgroups(req.podDir, req.uuid, appNames);
    prepared.plan.ownCgroupHierarchies = podCgroups.ownHierarchies;
    if (shift != 0) {
      shiftAppCgroups(req.podDir, shift);
    }
    privateNspawnRunDir();
  }
  writePodPlan(pod, prepared.plan, shift);

  std::vector<std::string> argv = nspawnArgv(o);
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    env.emplace_back(*e);
  }
  for (std::string& e : nspawnEnvironment(o)) {
    env.push_back(std::move(e));
  }
  if (req.debug) {
    std::string line;
    for (const std::string& a : argv) {
      line += (line.empty() ? "" : " ") + a;
    }
    sdk::log(RKT_LOG_DEBUG, "executing " + line);
  }
  // systemd-nspawn holds the pod lock for the pod's whole life (and so do we, until the pod's
  // cgroups are gone).
  const int flags = ::fcntl(req.lockFd, F_GETFD);
  if (flags < 0 || ::fcntl(req.lockFd, F_SETFD, flags & ~FD_CLOEXEC) != 0) {
    throwSys("cannot pass the pod lock to systemd-nspawn");
  }
  return runAsParent(
      [&] {
        // nspawn's `payload` and `supervisor` cgroups go below the pod's own.
        joinCgroups(podCgroups.dirs);
        // rkt's `ppid`: the process systemd-nspawn, whose only child is the pod's PID 1.
        writePodFile(req.podDir, protocol::layout::kPpid, std::to_string(::getpid()) + "\n");
        execNspawn(o.nspawn, argv, env);
      },
      [&] {
        for (const std::string& problem : removePodCgroups(req.podDir, req.uuid)) {
          sdk::log(RKT_LOG_WARNING, problem);
        }
      });
}

int NspawnStage1::enter(const std::string& json) {
  const auto req = protocol::decode<EnterRequest>(json);
  const NspawnPod pod = loadNspawnPod(req.podDir);
  const PodApp& app = pod.app(req.app);
  return enterPod(req.pid, app.name(), req.command, req.uuid);
}

void NspawnStage1::stop(const std::string& json) {
  const auto req = protocol::decode<StopRequest>(json);
  const std::string ppidPath = req.podDir + "/" + protocol::layout::kPpid;
  std::optional<pid_t> ppid = readPidFile(ppidPath);
  if (!ppid) {
    fail(RKT_E_NOT_FOUND, "cannot stop pod `" + req.uuid + "`: `" + ppidPath + "` does not exist",
         ENOENT);
  }
  if (req.force) {
    // rkt's /stop --force: every child of systemd-nspawn (the pod's PID 1), then nspawn.
    for (pid_t child : childrenOf(*ppid)) {
      ::kill(child, SIGKILL);
    }
  }
  if (::kill(*ppid, req.force ? SIGKILL : SIGTERM) != 0 && errno != ESRCH) {
    throwSys("cannot stop pod `" + req.uuid + "`: cannot signal process " + std::to_string(*ppid));
  }
}

void NspawnStage1::gc(const std::string& json) {
  const auto req = protocol::decode<GcRequest>(json);
  for (const std::string& problem : removePodCgroups(req.podDir, req.uuid)) {
    sdk::log(RKT_LOG_WARNING, problem);
  }
}

}  // namespace rkt::nspawn
