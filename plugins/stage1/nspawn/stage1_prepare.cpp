#include "stage1_prepare.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "isolators/app_isolation.hpp"
#include "nspawn_command.hpp"
#include "rkt/sdk/plugin.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/appexec/environment.hpp"
#include "rkt/support/appexec/executable.hpp"
#include "rkt/support/appexec/mounts.hpp"
#include "rkt/support/appexec/pod_files.hpp"
#include "rkt/support/appexec/root_dir.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/appexec/users.hpp"
#include "rkt/support/appexec/volumes.hpp"
#include "rkt/support/posix/id_shift.hpp"
#include "rkt/support/posix/throw_sys.hpp"

namespace rkt::nspawn {

namespace {

using appexec::EnvList;
using appexec::fail;
using appexec::RootDir;
using posix::throwSys;
namespace layout = protocol::layout;

void writeS1File(const RootDir& s1, const std::string& path, const std::string& data,
                 unsigned mode) {
  const std::string resolved = s1.resolve(path);
  auto [parent, name] = appexec::splitParent(resolved);
  s1.mkdirAll(parent, 0755);
  posix::UniqueFd dir = s1.openOrThrow(parent, O_PATH | O_DIRECTORY);
  appexec::writeFileAtomic(dir.get(), s1.path() + parent, name, data, mode);
}

void requireDirectory(const RootDir& root, const PodApp& app, const std::string& dir) {
  std::optional<struct stat> st = root.stat(dir);
  const std::string what =
      "cannot change to working directory `" + dir + "` of app `" + app.name() + "`";
  if (!st) {
    throwSys(what);
  }
  if (!S_ISDIR(st->st_mode)) {
    throwSys(what, ENOTDIR);
  }
}

bool atOrBelow(const std::string& path, const std::string& dir) {
  const std::string clean = appexec::cleanAbsolute(path);
  return clean == dir || clean.rfind(dir + "/", 0) == 0;
}

// The app's volumes as nspawn binds onto targets resolved (and created) inside its rootfs,
// shallower targets first (a volume at /a must not hide one at /a/b).
void addVolumeBinds(const NspawnPod& pod, const PodApp& app, const RootDir& root,
                    std::vector<NspawnBind>& binds, AppPlan& plan) {
  std::vector<std::string> warnings;
  std::vector<appexec::VolumeMount> volumes = appexec::generateVolumeMounts(
      app.runtimeApp, app.app, pod.manifest.volumes, app.convertedFromDocker(), warnings);
  for (const std::string& w : warnings) {
    sdk::log(RKT_LOG_WARNING, w);
  }
  auto depth = [](const std::string& p) {
    const std::string c = appexec::cleanAbsolute(p);
    return c == "/" ? 0 : std::count(c.begin(), c.end(), '/');
  };
  std::stable_sort(volumes.begin(), volumes.end(),
                   [&](const appexec::VolumeMount& a, const appexec::VolumeMount& b) {
                     return depth(a.path) < depth(b.path);
                   });
  for (const appexec::VolumeMount& vm : volumes) {
    NspawnBind b;
    b.readOnly = vm.readOnly;
    if (vm.volume.kind == schema::kVolumeKindHost) {
      b.source = vm.volume.source;
      // rkt's nspawn flavors bind recursively unless told otherwise (fly does not).
      b.recursive = vm.volume.recursive.value_or(true);
    } else {
      b.source = appexec::prepareEmptyVolume(pod.podDir, vm.volume, &root,
                                             vm.dockerImplicit ? vm.path : std::string());
    }
    struct stat st {};
    if (::stat(b.source.c_str(), &st) != 0) {
      throwSys("cannot use volume `" + vm.volume.name + "`: cannot stat `" + b.source + "`");
    }
    const std::string target = root.resolve(vm.path);
    if (std::optional<struct stat> t = root.stat(target)) {
      if (S_ISDIR(t->st_mode) != S_ISDIR(st.st_mode)) {
        fail(RKT_E_INVALID, "cannot mount volume `" + vm.volume.name + "` on " +
                                root.describe(vm.path) + ": one is a directory, the other not");
      }
    } else if (S_ISDIR(st.st_mode)) {
      root.mkdirAll(target, 0755);
    } else {
      root.createFile(target, 0644);
    }
    b.target = "/" + layout::stage2AppRootfs(app.name()) + (target == "/" ? "" : target);
    plan.ownSys = plan.ownSys || atOrBelow(vm.path, "/sys");
    if (vm.volume.kind == schema::kVolumeKindHost && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
      // rkt's DeviceAllow=/dev/.rkt/<volume> r[w]: the node the volume names, nothing else.
      plan.deviceRules.push_back(std::string(S_ISCHR(st.st_mode) ? "c " : "b ") +
                                 std::to_string(major(st.st_rdev)) + ":" +
                                 std::to_string(minor(st.st_rdev)) + (b.readOnly ? " r" : " rw"));
    }
    binds.push_back(b);
  }
}

AppPlan planApp(const NspawnPod& pod, const PodApp& app, const RootDir& s1,
                const protocol::stage1::RunRequest& req, std::vector<NspawnBind>& binds) {
  RootDir root(pod.appRootfs(app.name()));
  AppPlan plan;
  plan.name = app.name();
  plan.workDir = app.app.workingDirectory.empty() ? "/" : app.app.workingDirectory;

  EnvList env = appexec::composeEnvironment(appexec::toEnvList(app.app.environment), app.name());
  writeS1File(s1, "/" + layout::appEnv(app.name()), appexec::formatEnvFile(env), 0644);
  appexec::ensureMtab(root);
  addVolumeBinds(pod, app, root, binds, plan);

  requireDirectory(root, app, plan.workDir);
  const appexec::Credentials creds =
      appexec::resolveCredentials(root, appexec::credentialsRequest(app.app, app.image));
  plan.uid = creds.uid;
  plan.gid = creds.gid;
  plan.supplementaryGids = creds.supplementaryGids;
  plan.program = appexec::findProgram(root, app.app.exec.front(), plan.workDir,
                                      appexec::envValue(env, "PATH", ""));
  if (std::optional<std::string> diag = appexec::diagnoseProgram(root, plan.program)) {
    fail(RKT_E_NOT_FOUND, *diag, ENOENT);
  }
  plan.argv = app.app.exec;
  plan.isolation = resolveAppIsolation(app.name(), app.app.isolators, plan.uid,
                                       {req.insecure.capabilities, req.insecure.seccomp});
  plan.notify = app.supportsNotify();
  plan.readOnlyRootfs = app.runtimeApp.readOnlyRootFs;
  for (const schema::EventHandler& h : app.app.eventHandlers) {
    plan.handlers.push_back(EventHandler{h.name, h.exec});
  }
  return plan;
}

}  // namespace

std::string addHostnameToHosts(const std::string& hosts, const std::string& hostname) {
  std::istringstream in(hosts);
  std::string out;
  std::string line;
  bool added = false;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string first;
    fields >> first;
    if (!added && first == "127.0.0.1") {
      line += " " + hostname;
      added = true;
    }
    out += line + "\n";
  }
  if (!added) {
    out += "127.0.0.1\t" + hostname + "\n";
  }
  return out;
}

PreparedStage1 prepareStage1(const NspawnPod& pod, const protocol::stage1::RunRequest& req,
                             const std::string& supervisor) {
  PreparedStage1 out;
  PodPlan& plan = out.plan;
  plan.uuid = req.uuid;
  plan.hostname = req.hostname.empty() ? machineName(req.uuid) : req.hostname;
  plan.resolvMode = req.dnsConfMode.resolv;
  plan.hostsMode = req.dnsConfMode.hosts;
  plan.interactive = req.interactive;
  plan.protectPaths = !req.insecure.paths;

  RootDir s1(pod.stage1Rootfs());
  // systemd-nspawn wants an OS tree (a /usr); the API file systems and the supervisor's own
  // directories are mounted or written below.
  for (const char* dir : {"/usr", "/etc", "/proc", "/sys", "/dev", "/tmp", "/run", "/opt/stage2",
                          "/rkt/status", "/rkt/env"}) {
    s1.mkdirAll(dir, 0755);
  }
  writeS1File(s1, "/etc/machine-id", machineId(req.uuid) + "\n", 0444);
  writeS1File(s1, "/etc/hostname", plan.hostname + "\n", 0644);
  if (plan.hostsMode == "default") {
    writeS1File(s1, std::string("/") + layout::kHostsFallback,
                addHostnameToHosts(layout::kDefaultHostsText, plan.hostname), 0644);
  } else if (plan.hostsMode == "stage0") {
    const std::string path = std::string("/") + layout::kStage0Hosts;
    writeS1File(s1, path, addHostnameToHosts(s1.readFile(path), plan.hostname), 0644);
  }
  // Host files reach the apps through the stage1's `rkt-` copies, as in rkt.
  if (plan.resolvMode == "host") {
    out.binds.push_back(
        {"/etc/resolv.conf", std::string("/") + layout::kStage0ResolvConf, true, false});
  } else if (plan.resolvMode == "stage0" &&
             !s1.stat(std::string("/") + layout::kStage0ResolvConf)) {
    throwSys("cannot use `" + s1.describe(layout::kStage0ResolvConf) +
             "` for resolv mode `stage0`");
  }
  if (plan.hostsMode == "host") {
    out.binds.push_back({"/etc/hosts", std::string("/") + layout::kStage0Hosts, true, false});
  }
  out.binds.push_back({supervisor, kSupervisorInPod, true, false});

  for (const PodApp& app : pod.apps) {
    plan.apps.push_back(planApp(pod, app, s1, req, out.binds));
  }
  return out;
}

void writePodPlan(const NspawnPod& pod, const PodPlan& plan, uid_t shift) {
  writeS1File(RootDir(pod.stage1Rootfs()), std::string("/") + kPodPlanFile, encodePodPlan(plan),
              0600);
  if (shift != 0) {
    // Written after the stage1 tree was shifted (shiftPodTrees): the pod's root reads it.
    posix::throwIfFailed(posix::shiftOwnership(pod.stage1Rootfs() + "/" + kPodPlanFile, shift));
  }
}

}  // namespace rkt::nspawn
