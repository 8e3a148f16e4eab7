#include "device_cgroup.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iterator>

#include "app_cgroup.hpp"
#include "device_program.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/throw_sys.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::nspawn {

namespace {

constexpr char kDevicesMount[] = "/rkt/devices-cgroup";

// systemd's DevicePolicy=closed: /dev/null, zero, full, random, urandom, tty, ptmx and the
// pseudo-terminals; and the pod's console, as crun.
constexpr const char* kStandardRules[] = {"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",
                                          "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm",
                                          "c 5:1 rwm", "c 5:2 rwm", "c 136:* rw"};

void writeRule(const std::string& file, const std::string& rule) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    posix::throwSys("cannot open `" + file + "`");
  }
  const ssize_t n = ::write(fd, rule.data(), rule.size());
  const int err = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(rule.size())) {
    posix::throwSys("cannot write `" + rule + "` to `" + file + "`", err);
  }
}

// The pod's devices hierarchy, mounted once; false when the host has no v1 devices controller.
bool mountDevicesHierarchy() {
  static int mounted = -1;
  if (mounted >= 0) {
    return mounted == 1;
  }
  if (::mkdir(kDevicesMount, 0700) != 0 && errno != EEXIST) {
    posix::throwSys(std::string("cannot create `") + kDevicesMount + "`");
  }
  mounted =
      ::mount("cgroup", kDevicesMount, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC, "devices") == 0
          ? 1
          : 0;
  if (mounted == 0) {
    std::perror("supervisor: no cgroup v1 devices controller, the device policy is not applied");
  }
  return mounted == 1;
}

// `<base>/system.slice/<app>.service`, created.
std::string makeAppDir(const std::string& base, const std::string& app) {
  const std::string slice = base + "/system.slice";
  const std::string dir = slice + "/" + app + ".service";
  for (const std::string& d : {slice, dir}) {
    if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST) {
      posix::throwSys("cannot create the devices cgroup `" + d + "`");
    }
  }
  return dir;
}

std::string prepareV2(const std::string& root, const std::string& app,
                      const std::vector<std::string>& rules) {
  const std::string dir = makeAppDir(root, app);
  std::vector<DeviceRule> parsed;
  for (const std::string& rule : rules) {
    parsed.push_back(parseDeviceRule(rule));
  }
  posix::UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    posix::throwSys("cannot open the cgroup `" + dir + "`");
  }
  attachDeviceProgram(fd.get(), parsed);
  return dir + "/cgroup.procs";
}

std::string prepareV1(const std::string& app, const std::vector<std::string>& rules) {
  if (!mountDevicesHierarchy()) {
    return "";
  }
  const std::string dir = makeAppDir(kDevicesMount, app);
  writeRule(dir + "/devices.deny", "a");
  for (const std::string& rule : rules) {
    writeRule(dir + "/devices.allow", rule);
  }
  return dir + "/cgroup.procs";
}

// --private-users: the supervisor is root of a user namespace, and both the v1 devices
// controller's rules and a v2 device program need CAP_SYS_ADMIN in the host's (said once). The
// user namespace itself refuses mknod; opening a node needs it bound in the pod (the standard
// ones and device volumes).
bool inUserNamespace() {
  static int inside = -1;
  if (inside < 0) {
    Result<std::string> map = posix::readFileAt(AT_FDCWD, "/proc/self/uid_map");
    inside = map && map->find("4294967295") == std::string::npos ? 1 : 0;
    if (inside == 1) {
      std::fputs(
          "supervisor: warning: in a user namespace the device policy is not applied (it needs "
          "host root); mknod is refused by the user namespace\n",
          stderr);
    }
  }
  return inside == 1;
}

}  // namespace

std::string prepareDeviceCgroup(const std::string& root, const std::string& app,
                                const std::vector<std::string>& extraRules) {
  if (inUserNamespace()) {
    return "";
  }
  std::vector<std::string> rules(std::begin(kStandardRules), std::end(kStandardRules));
  rules.insert(rules.end(), extraRules.begin(), extraRules.end());
  return isCgroup2(root) ? prepareV2(root, app, rules) : prepareV1(app, rules);
}

}  // namespace rkt::nspawn
