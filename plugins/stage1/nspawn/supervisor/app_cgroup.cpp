#include "app_cgroup.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

bool hasFsType(const std::string& path, long type) {
  struct statfs fs {};
  return ::statfs(path.c_str(), &fs) == 0 && static_cast<long>(fs.f_type) == type;
}

void writeKnob(const std::string& dir, const std::string& knob, const std::string& value) {
  const std::string path = dir + "/" + knob;
  posix::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid() || !posix::writeAll(fd.get(), value)) {
    posix::throwSys("cannot write `" + value + "` to `" + path + "`");
  }
}

void makeDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    posix::throwSys("cannot create cgroup `" + dir + "`");
  }
}

// rkt's words for an isolator whose controller is missing (rkt's stage1 `resource/%s`).
std::string unsupported(const std::string& controller) {
  return "warning: resource/" + controller +
         " isolator set but support disabled in the kernel, skipping";
}

std::string serviceOf(const std::string& app) {
  return "system.slice/" + app + ".service";
}

// v1: the app's cgroup stage0 made in the hierarchy of `controller` (writable: openOwnCgroups).
std::string v1AppDir(const std::string& root, const std::string& controller,
                     const std::string& app) {
  const std::string hierarchy = root + "/" + controller;
  if (!hasFsType(hierarchy, CGROUP_SUPER_MAGIC)) {
    return {};
  }
  const std::string dir = hierarchy + "/" + serviceOf(app);
  if (::access(dir.c_str(), F_OK) != 0) {
    return {};  // stage0 made none: a pod registered with machined (its scope is machined's)
  }
  return dir;
}

AppCgroup prepareV1(const std::string& root, const std::string& app, const ResourceLimits& limits,
                    const std::function<void(const std::string&)>& warn) {
  AppCgroup out;
  if (limits.memoryBytes != 0) {
    const std::string dir = v1AppDir(root, "memory", app);
    if (dir.empty()) {
      warn(unsupported("memory"));
    } else {
      writeKnob(dir, "memory.limit_in_bytes", std::to_string(limits.memoryBytes));
      out.procsFiles.push_back(dir + "/cgroup.procs");
    }
  }
  if (limits.cpuQuotaMicros != 0 || limits.cpuShares != 0) {
    const std::string dir = v1AppDir(root, "cpu", app);
    if (dir.empty()) {
      warn(unsupported("cpu"));
    } else {
      if (limits.cpuQuotaMicros != 0) {
        writeKnob(dir, "cpu.cfs_period_us", std::to_string(kCpuPeriodMicros));
        writeKnob(dir, "cpu.cfs_quota_us", std::to_string(limits.cpuQuotaMicros));
      }
      if (limits.cpuShares != 0) {
        writeKnob(dir, "cpu.shares", std::to_string(limits.cpuShares));
      }
      out.procsFiles.push_back(dir + "/cgroup.procs");
    }
  }
  return out;
}

bool hasController(const std::string& dir, const std::string& controller) {
  Result<std::string> text = posix::readFileAt(AT_FDCWD, dir + "/cgroup.controllers");
  std::string padded = " " + (text ? *text : std::string()) + " ";
  std::replace(padded.begin(), padded.end(), '\n', ' ');
  return padded.find(" " + controller + " ") != std::string::npos;
}

// v2: the app's cgroup below system.slice, where preparePodCgroup enabled the controllers.
AppCgroup prepareV2(const std::string& root, const std::string& app, const ResourceLimits& limits,
                    const std::function<void(const std::string&)>& warn) {
  const bool memory = limits.memoryBytes != 0 && hasController(root, "memory");
  const bool cpu =
      (limits.cpuQuotaMicros != 0 || limits.cpuShares != 0) && hasController(root, "cpu");
  if (limits.memoryBytes != 0 && !memory) {
    warn(unsupported("memory"));
  }
  if ((limits.cpuQuotaMicros != 0 || limits.cpuShares != 0) && !cpu) {
    warn(unsupported("cpu"));
  }
  AppCgroup out;
  if (!memory && !cpu) {
    return out;
  }
  const std::string dir = root + "/" + serviceOf(app);
  makeDir(dir);
  if (memory) {
    writeKnob(dir, "memory.max", std::to_string(limits.memoryBytes));
  }
  if (cpu && limits.cpuQuotaMicros != 0) {
    writeKnob(dir, "cpu.max", cpuMaxLine(limits.cpuQuotaMicros));
  }
  if (cpu && limits.cpuShares != 0) {
    writeKnob(dir, "cpu.weight", std::to_string(cpuSharesToWeight(limits.cpuShares)));
  }
  out.procsFiles.push_back(dir + "/cgroup.procs");
  return out;
}

bool hasLimits(const ResourceLimits& limits) {
  return limits.memoryBytes != 0 || limits.cpuQuotaMicros != 0 || limits.cpuShares != 0;
}

}  // namespace

void openOwnCgroups(const std::string& root, const std::vector<std::string>& hierarchies,
                    const std::function<void(const std::string&)>& warn) {
  for (const std::string& h : hierarchies) {
    // nspawn mounts joined controllers once (`cpu,cpuacct`) with links for each name.
    char resolved[PATH_MAX];
    if (::realpath((root + "/" + h).c_str(), resolved) == nullptr ||
        !hasFsType(resolved, CGROUP_SUPER_MAGIC)) {
      continue;  // not mounted in the pod: nothing to open
    }
    if (::mount(resolved, resolved, nullptr, MS_BIND, nullptr) != 0 ||
        ::mount(nullptr, resolved, nullptr, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                nullptr) != 0) {
      warn(std::string("cannot make the pod's cgroup `") + resolved +
           "` writable: " + posix::errnoText(errno));
    }
  }
}

bool isCgroup2(const std::string& root) {
  return hasFsType(root, CGROUP2_SUPER_MAGIC);
}

void preparePodCgroup(const std::string& root, const std::vector<ResourceLimits>& apps) {
  if (!isCgroup2(root) || std::none_of(apps.begin(), apps.end(), hasLimits)) {
    return;
  }
  std::string enable;
  for (const char* controller : {"memory", "cpu"}) {
    if (hasController(root, controller)) {
      enable += std::string(enable.empty() ? "+" : " +") + controller;
    }
  }
  if (enable.empty()) {
    return;  // each app's isolators get rkt's warning
  }
  makeDir(root + "/init.scope");
  writeKnob(root + "/init.scope", "cgroup.procs", std::to_string(::getpid()));
  writeKnob(root, "cgroup.subtree_control", enable);
  makeDir(root + "/system.slice");
  writeKnob(root + "/system.slice", "cgroup.subtree_control", enable);
}

AppCgroup prepareAppCgroup(const std::string& root, const std::string& app,
                           const ResourceLimits& limits,
                           const std::function<void(const std::string&)>& warn) {
  if (!hasLimits(limits)) {
    return {};
  }
  return isCgroup2(root) ? prepareV2(root, app, limits, warn) : prepareV1(root, app, limits, warn);
}

const char* joinAppCgroup(const AppCgroup& cgroup) {
  for (const std::string& procs : cgroup.procsFiles) {
    const int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      return "cannot open the app's cgroup.procs";
    }
    // "0": the writing process itself (v1 and v2).
    const bool ok = ::write(fd, "0", 1) == 1;
    const int err = errno;
    ::close(fd);
    if (!ok) {
      errno = err;
      return "cannot join the app's cgroup";
    }
  }
  return nullptr;
}

}  // namespace rkt::nspawn
