#include "nspawn_command.hpp"

namespace rkt::nspawn {

namespace {

std::string escapeBindPath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '\\' || c == ':') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string bindArgument(const NspawnBind& bind) {
  return std::string(bind.readOnly ? "--bind-ro=" : "--bind=") + escapeBindPath(bind.source) + ":" +
         escapeBindPath(bind.target) + ":" + (bind.recursive ? "rbind" : "norbind");
}

std::string machineName(const std::string& uuid) {
  return "rkt-" + uuid;
}

std::string machineId(const std::string& uuid) {
  std::string id;
  for (char c : uuid) {
    if (c != '-') {
      id += c;
    }
  }
  return id;
}

std::vector<std::string> nspawnArgv(const NspawnOptions& o) {
  std::vector<std::string> argv{o.nspawn};
  // rkt's flags, without --boot (our supervisor is PID 1, not systemd).
  argv.push_back(std::string("--register=") + (o.registerMachine ? "yes" : "no"));
  argv.push_back(std::string("--link-journal=") + (o.hostRunsSystemd ? "try-guest" : "no"));
  if (o.keepUnit) {
    argv.push_back("--keep-unit");
  }
  if (!o.debug) {
    argv.push_back("--quiet");
  }
  argv.push_back("--uuid=" + machineId(o.uuid));
  argv.push_back("--machine=" + machineName(o.uuid));
  argv.push_back("--directory=" + o.stage1Rootfs);
  argv.push_back("--hostname=" + o.hostname);
  // The supervisor handles SIGTERM (stop every app, then SIGKILL after its timeout); nspawn's
  // default for a non-booted container would SIGKILL it.
  argv.push_back("--kill-signal=SIGTERM");
  argv.push_back("--console=" + o.console);
  argv.push_back(std::string("--notify-ready=") + (o.notifyReady ? "yes" : "no"));
  // The stage1 rootfs is ours: no resolv.conf or timezone copied into it.
  argv.push_back("--resolv-conf=off");
  argv.push_back("--timezone=off");
  if (o.net == "none" || o.net == "default") {
    argv.push_back("--private-network");
  }
  if (!o.privateUsers.empty()) {
    argv.push_back("--private-users=" + o.privateUsers);
    argv.push_back("--private-users-ownership=off");
  }
  if (o.allCapabilities) {
    argv.push_back("--capability=all");
  } else if (!o.capabilities.empty()) {
    std::string list;
    for (const std::string& c : o.capabilities) {
      list += (list.empty() ? "" : ",") + c;
    }
    argv.push_back("--capability=" + list);
  }
  for (const NspawnBind& b : o.binds) {
    argv.push_back(bindArgument(b));
  }
  argv.push_back("--");
  argv.push_back(o.supervisor);
  return argv;
}

std::vector<std::string> nspawnEnvironment(const NspawnOptions& o) {
  // Unlike rkt, the pod gets a cgroup namespace (nspawn's default): without one, nspawn mounts
  // every controller of /proc/cgroups from the host's /sys/fs/cgroup and fails on hosts that
  // do not mount them all ("Failed to read link /sys/fs/cgroup/hugetlb"). Nothing in the pod
  // needs the host's cgroup paths (rkt set SYSTEMD_NSPAWN_USE_CGNS=no for systemd inside).
  std::vector<std::string> env{"SYSTEMD_NSPAWN_CONTAINER_SERVICE=rkt"};
  // No image lock (`$POD/stage1/.#rootfs.lck` and one in /run/systemd/nspawn/locks): the pod
  // lock nspawn holds for the pod's life already keeps a second run off this rootfs, and the
  // lock file was one more file created and deleted on the data directory's filesystem per pod.
  env.push_back("SYSTEMD_NSPAWN_LOCK=0");
  // No container-wide filter of nspawn's: the supervisor gives every app rkt's own seccomp
  // filter (the default whitelist, or what the image and --seccomp ask; none with
  // --insecure-options=seccomp, as rkt). nspawn's filter, on top, would only repeat it for the
  // apps, block bpf(2) the v2 device program needs, and cost 24 of systemd-nspawn's 34 ms CPU
  // per start here (libseccomp building it for three architectures; docs/run.md).
  env.push_back("SYSTEMD_SECCOMP=0");
  if (!o.debug) {
    env.push_back("SYSTEMD_LOG_LEVEL=err");
  }
  if (o.shareIpc) {
    env.push_back("SYSTEMD_NSPAWN_SHARE_NS_IPC=true");
  }
  if (o.writableApiVfs) {
    env.push_back("SYSTEMD_NSPAWN_API_VFS_WRITABLE=yes");
  }
  // On a cgroup-v2-only host nspawn gives a container without systemd >= 230 in it (ours: the
  // supervisor) a legacy name=systemd hierarchy; the pod's cgroup is the unified one.
  if (o.unifiedCgroups) {
    env.push_back("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1");
  }
  return env;
}

}  // namespace rkt::nspawn
