#include "rkt/support/appexec/mounts.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "rkt/sdk/plugin.hpp"
#include "rkt/support/appexec/mount_table.hpp"
#include "rkt/support/appexec/sys.hpp"

namespace rkt::appexec {

namespace {

void debug(const std::string& message) {
  sdk::log(RKT_LOG_DEBUG, message);
}

}  // namespace

void applyMounts(const RootDir& root, const std::vector<Mount>& mounts) {
  for (const Mount& m : mounts) {
    if (m.type == Mount::Type::ReadOnly) {
      const std::string target = root.resolve(m.target);
      debug("making " + root.describe(m.target) + " read-only" +
            (m.recursive ? " (recursive)" : ""));
      posix::UniqueFd mounted = root.openOrThrow(target, O_PATH);
      makeReadOnly(mounted.get(), root.path() + target, m.recursive);
      continue;
    }
    const bool bind = m.type == Mount::Type::Bind;
    if (m.shareSource) {
      debug("making `" + m.source + "` recursively shared");
      if (::mount(nullptr, m.source.c_str(), nullptr, MS_REC | MS_SHARED, nullptr) != 0) {
        throwSys("cannot make `" + m.source + "` shared");
      }
    }
    bool sourceIsDir = true;
    if (bind) {
      struct stat st {};
      if (::stat(m.source.c_str(), &st) != 0) {
        throwSys("cannot stat host path `" + m.source + "`");
      }
      sourceIsDir = S_ISDIR(st.st_mode);
    }

    const std::string target = root.resolve(m.target);
    const std::string shown = root.describe(m.target);
    if (std::optional<struct stat> st = root.stat(target)) {
      const bool targetIsDir = S_ISDIR(st->st_mode);
      if (sourceIsDir && !targetIsDir) {
        fail(RKT_E_INVALID, "cannot mount `" + m.source + "` on " + shown + ": `" + m.source +
                                "` is a directory and the target is not");
      }
      if (!sourceIsDir && targetIsDir) {
        fail(RKT_E_INVALID, "cannot mount `" + m.source + "` on " + shown +
                                ": the target is a "
                                "directory and `" +
                                m.source + "` is not");
      }
    } else if (sourceIsDir) {
      root.mkdirAll(target, 0755);
    } else {
      root.createFile(target, 0644);
    }

    posix::UniqueFd at = root.openOrThrow(target, O_PATH);
    if (bind) {
      debug("binding `" + m.source + "` on " + shown + (m.recursive ? " (recursive)" : "") +
            (m.readOnly ? " read-only" : ""));
      unsigned long flags = MS_BIND | (m.recursive ? MS_REC : 0);
      if (::mount(m.source.c_str(), at.procPath().c_str(), nullptr, flags, nullptr) != 0) {
        throwSys("cannot bind `" + m.source + "` on " + shown);
      }
    } else {
      debug("mounting tmpfs on " + shown);
      if (::mount("tmpfs", at.procPath().c_str(), "tmpfs", 0, nullptr) != 0) {
        throwSys("cannot mount tmpfs on " + shown);
      }
    }
    if (m.readOnly) {
      // The descriptor above names the directory under the new mount; this one the mount.
      posix::UniqueFd mounted = root.openOrThrow(target, O_PATH);
      makeReadOnly(mounted.get(), root.path() + target, m.recursive);
    }
  }
}

void ensureMtab(const RootDir& root) {
  std::optional<struct stat> etc = root.stat("/etc");
  if (!etc || !S_ISDIR(etc->st_mode)) {
    return;
  }
  const std::string etcPath = root.resolve("/etc");
  if (root.lstat(etcPath + "/mtab")) {
    return;
  }
  root.symlink(etcPath + "/mtab", "../proc/self/mounts");
}

}  // namespace rkt::appexec
