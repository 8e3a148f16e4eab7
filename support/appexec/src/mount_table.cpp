#include "rkt/support/appexec/mount_table.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <sstream>

#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

namespace {

std::string unescapeOctal(const std::string& field) {
  auto isOct = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && isOct(field[i + 1]) && isOct(field[i + 2]) &&
        isOct(field[i + 3])) {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                               (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

// MS_* flags that a bind remount would otherwise drop.
unsigned long keptFlags(const std::string& path) {
  struct statvfs sv {};
  if (::statvfs(path.c_str(), &sv) != 0) {
    return 0;
  }
  unsigned long flags = 0;
  if (sv.f_flag & ST_NOSUID)
    flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV)
    flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC)
    flags |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME)
    flags |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME)
    flags |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME)
    flags |= MS_RELATIME;
  return flags;
}

void remountReadOnly(const std::string& path, const std::string& shownPath) {
  if (::mount(nullptr, path.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | keptFlags(path),
              nullptr) != 0) {
    throwSys("cannot make `" + shownPath + "` read-only");
  }
}

}  // namespace

std::vector<std::string> readMountPoints() {
  posix::UniqueFd fd(::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    throwSys("cannot open `/proc/self/mountinfo`");
  }
  std::istringstream in(readAll(fd.get(), "`/proc/self/mountinfo`"));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, mountPoint;
    if (fields >> id >> parent >> devno >> root >> mountPoint) {
      out.push_back(unescapeOctal(mountPoint));
    }
  }
  return out;
}

bool isMountPoint(const std::string& path) {
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) == nullptr) {
    return false;
  }
  for (const std::string& mp : readMountPoints()) {
    if (mp == real) {
      return true;
    }
  }
  return false;
}

void makeReadOnly(int fd, const std::string& shownPath, bool recursive) {
#ifdef SYS_mount_setattr
  struct mount_attr attr {};
  attr.attr_set = MOUNT_ATTR_RDONLY;
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (::syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr) == 0) {
    return;
  }
  if (errno != ENOSYS) {
    throwSys("cannot make `" + shownPath + "` read-only");
  }
#endif
  // Kernels before 5.12: remount the top, then every mount below it (parents first, as the
  // kernel lists them).
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  char real[PATH_MAX];
  ssize_t n = ::readlink(self.c_str(), real, sizeof real - 1);
  if (n < 0) {
    throwSys("cannot make `" + shownPath + "` read-only");
  }
  std::string top(real, static_cast<size_t>(n));
  remountReadOnly(self, shownPath);
  if (!recursive) {
    return;
  }
  const std::string prefix = top == "/" ? "/" : top + "/";
  for (const std::string& mp : readMountPoints()) {
    if (mp.compare(0, prefix.size(), prefix) == 0) {
      remountReadOnly(mp, mp);
    }
  }
}

}  // namespace rkt::appexec
