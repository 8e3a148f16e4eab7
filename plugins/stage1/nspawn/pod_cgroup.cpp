#include "pod_cgroup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <sstream>

#include "nspawn_pod.hpp"
#include "rkt/support/appexec/sys.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::nspawn {

namespace {

using posix::throwSys;

constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

bool isCgroup2(const std::string& path) {
  struct statfs fs {};
  return ::statfs(path.c_str(), &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

// The caller's cgroup path in the hierarchy of /proc/self/cgroup whose controller field is
// `controllers` ("name=systemd", or "" for cgroup2).
std::string ownCgroup(const std::string& controllers) {
  Result<std::string> text = posix::readFileAt(AT_FDCWD, "/proc/self/cgroup");
  std::istringstream in(text ? *text : std::string());
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t a = line.find(':');
    const std::size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    const std::string field =
        b == std::string::npos ? std::string() : line.substr(a + 1, b - a - 1);
    // "cpu" is also found in "cpu,cpuacct" (hierarchies that share a mount).
    const bool match = controllers.empty() || controllers.rfind("name=", 0) == 0
                           ? field == controllers
                           : ("," + field + ",").find("," + controllers + ",") != std::string::npos;
    if (b != std::string::npos && match) {
      std::string path = line.substr(b + 1);
      return path == "/" ? std::string() : path;
    }
  }
  return {};
}

struct Hierarchy {
  std::string mount;
  std::string own;
  bool appCgroups = false;  ///< the apps' `system.slice/<app>.service` are made here (v1)
};

// Where nspawn puts its payload and supervisor cgroups: the unified hierarchy, or the
// name=systemd one plus cgroup2 at /sys/fs/cgroup/unified (hybrid).
std::vector<Hierarchy> nspawnHierarchies() {
  std::vector<Hierarchy> out;
  if (hostHasUnifiedCgroups()) {
    out.push_back({kCgroupRoot, ownCgroup("")});
    return out;
  }
  const std::string systemd = std::string(kCgroupRoot) + "/systemd";
  struct statfs fs {};
  if (::statfs(systemd.c_str(), &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC) {
    out.push_back({systemd, ownCgroup("name=systemd")});
  }
  const std::string unified = std::string(kCgroupRoot) + "/unified";
  if (isCgroup2(unified)) {
    out.push_back({unified, ownCgroup("")});
  }
  // The v1 controllers of the resource isolators and the device policy: the pod's cgroup and
  // its apps' are made here, so that the pod's cgroup namespace is rooted at its own cgroup in
  // them (the supervisor writes the limits and device rules there; without it they would land
  // in the caller's cgroup, shared by every pod started from it and left behind by gc).
  for (const char* controller : {"memory", "cpu", "devices"}) {
    const std::string mount = std::string(kCgroupRoot) + "/" + controller;
    if (::statfs(mount.c_str(), &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC) {
      out.push_back({mount, ownCgroup(controller), true});
    }
  }
  return out;
}

// `dir` and the cgroups below it, parents before children.
void collectTree(const std::string& dir, std::vector<std::string>& out) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    return;  // gone already (ENOENT) or not ours to list
  }
  out.push_back(dir);
  std::vector<std::string> children;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (e->d_type == DT_DIR && name != "." && name != "..") {
      children.push_back(dir + "/" + name);
    }
  }
  ::closedir(d);
  for (const std::string& c : children) {
    collectTree(c, out);
  }
}

// SIGKILLs what is left in the cgroups (a pod whose systemd-nspawn was killed before its
// supervisor could follow) and waits up to 10 s for them to be gone. Returns whether they are.
bool killProcesses(const std::vector<std::string>& dirs) {
  for (int round = 0; round < 500; ++round) {
    bool any = false;
    for (const std::string& dir : dirs) {
      Result<std::string> procs = posix::readFileAt(AT_FDCWD, dir + "/cgroup.procs");
      std::istringstream in(procs ? *procs : std::string());
      long pid = 0;
      while (in >> pid) {
        if (pid > 1 && pid != ::getpid()) {
          ::kill(static_cast<pid_t>(pid), SIGKILL);
          any = true;
        }
      }
    }
    if (!any) {
      return true;
    }
    ::usleep(20000);
  }
  return false;
}

// rmdir of the cgroups `collectTree` listed, deepest first.
void removeTree(const std::vector<std::string>& tree, std::vector<std::string>& problems) {
  for (auto it = tree.rbegin(); it != tree.rend(); ++it) {
    if (::rmdir(it->c_str()) != 0 && errno != ENOENT) {
      problems.push_back("cannot remove cgroup `" + *it + "`: " + posix::errnoText(errno));
    }
  }
}

// cgroup v2: the resource isolators need `memory` and `cpu` in the pod's cgroup, so they are
// enabled in the parent's subtree_control, each on its own (one the parent lacks is rkt's
// warning in the pod, not an error here; EBUSY when the parent has other processes).
void delegateResourceControllers(const std::string& parent) {
  for (const char* controller : {"+memory", "+cpu"}) {
    posix::UniqueFd fd(::open((parent + "/cgroup.subtree_control").c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.valid()) {
      (void)posix::writeAll(fd.get(), controller);
    }
  }
}

}  // namespace

bool hostHasUnifiedCgroups() {
  return isCgroup2(kCgroupRoot);
}

std::string podCgroupName(const std::string& uuid) {
  std::string escaped;
  for (char c : uuid) {
    escaped += c == '-' ? std::string("\\x2d") : std::string(1, c);
  }
  return "machine-rkt\\x2d" + escaped + ".scope";
}

PodCgroups createPodCgroups(const std::string& podDir, const std::string& uuid,
                            const std::vector<std::string>& apps) {
  const std::string name = podCgroupName(uuid);
  const std::vector<Hierarchy> hierarchies = nspawnHierarchies();
  // Every cgroup is recorded (for gc) before anything joins; one file write, not one a
  // hierarchy.
  std::vector<std::string> dirs;
  std::vector<std::string> appDirs;
  std::vector<std::string> own;
  std::string list;
  for (const Hierarchy& h : hierarchies) {
    if (isCgroup2(h.mount)) {
      delegateResourceControllers(h.mount + h.own);
    }
    const std::string dir = h.mount + h.own + "/" + name;
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      const int err = errno;
      if (!list.empty()) {
        writePodFile(podDir, kPodCgroupsFile, list);  // the ones made so far go with gc
      }
      errno = err;
      throwSys("cannot create the pod's cgroup `" + dir + "`");
    }
    dirs.push_back(dir);
    list += dir + "\n";
    if (h.appCgroups) {
      own.push_back(h.mount.substr(sizeof kCgroupRoot));
      appDirs.push_back(dir + "/system.slice");
      for (const std::string& app : apps) {
        appDirs.push_back(dir + "/system.slice/" + app + ".service");
      }
    }
  }
  if (!list.empty()) {
    writePodFile(podDir, kPodCgroupsFile, list);
  }
  for (const std::string& dir : appDirs) {
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      throwSys("cannot create the app's cgroup `" + dir + "`");
    }
  }
  if (!hierarchies.empty()) {
    writePodFile(podDir, kSubcgroupFile, (hierarchies.front().own + "/" + name).substr(1));
  }
  return {dirs, own};
}

void joinCgroups(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) {
    const std::string procs = dir + "/cgroup.procs";
    posix::UniqueFd fd(::open(procs.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid() || !posix::writeAll(fd.get(), std::to_string(::getpid()))) {
      throwSys("cannot join the pod's cgroup `" + dir + "`");
    }
  }
}

std::string ownCgroupProcs() {
  const std::vector<Hierarchy> hierarchies = nspawnHierarchies();
  return hierarchies.empty()
             ? std::string()
             : hierarchies.front().mount + hierarchies.front().own + "/cgroup.procs";
}

std::vector<std::string> removePodCgroups(const std::string& podDir, const std::string& uuid) {
  std::vector<std::string> problems;
  Result<std::string> text = posix::readFileAt(AT_FDCWD, podDir + "/" + kPodCgroupsFile);
  if (!text) {
    return problems;  // the pod never got that far
  }
  const std::string suffix = "/" + podCgroupName(uuid);
  std::istringstream in(*text);
  std::string dir;
  while (std::getline(in, dir)) {
    // Only ever this pod's scope below the cgroup mounts, whatever the file says.
    const bool ours = dir.rfind(std::string(kCgroupRoot) + "/", 0) == 0 &&
                      dir.size() > suffix.size() &&
                      dir.compare(dir.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                      dir.find("/../") == std::string::npos;
    if (!ours) {
      problems.push_back("ignoring cgroup `" + dir + "`: not the pod's");
      continue;
    }
    std::vector<std::string> tree;
    collectTree(dir, tree);
    if (!killProcesses(tree)) {
      problems.push_back("processes of the pod in `" + dir + "` do not die");
    }
    removeTree(tree, problems);
  }
  return problems;
}

}  // namespace rkt::nspawn
