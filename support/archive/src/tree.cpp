#include "tree.hpp"

#include <rkt/support/archive/fd_budget.hpp>
#include <rkt/support/posix/errno_text.hpp>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace rkt::archive::detail {
namespace {

// openat2 support, probed on first use: ENOSYS on old kernels, EPERM under some seccomp filters.
// RKT_ARCHIVE_NO_OPENAT2 forces the component walk (the tests run the hostile suite both ways).
std::atomic<bool> gOpenat2Usable{std::getenv("RKT_ARCHIVE_NO_OPENAT2") == nullptr};

int openat2Beneath(int dirfd, const std::string& path) {
#ifdef SYS_openat2
  if (!gOpenat2Usable.load(std::memory_order_relaxed))
    return -2;
  struct open_how how = {};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == E2BIG)) {
    gOpenat2Usable.store(false, std::memory_order_relaxed);
    return -2;
  }
  return static_cast<int>(fd);
#else
  (void)dirfd;
  (void)path;
  return -2;
#endif
}

Status setXattrs(int fd, const Xattrs& x) {
  for (const auto& [name, value] : x) {
    if (::fsetxattr(fd, name.c_str(), value.data(), value.size(), 0) != 0) {
      return sysError("cannot set extended attribute " + quoted(name));
    }
  }
  return {};
}

// The process umask without changing it (umask(2) can only be read by setting it, which would
// race with other threads creating files): /proc/self/status has it since Linux 4.7. When it
// cannot be read, assume the worst, so every mode gets an explicit chmod.
mode_t currentUmask() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  if (f == nullptr)
    return 0777;
  char line[256];
  unsigned mask = 0777;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "Umask: %o", &mask) == 1)
      break;
  }
  std::fclose(f);
  return static_cast<mode_t>(mask & 0777);
}

}  // namespace

TreeWriter::TreeWriter(posix::UniqueFd root, bool preserveOwnership, OnExisting onExisting)
    : root_(std::move(root)),
      preserveOwnership_(preserveOwnership),
      onExisting_(onExisting),
      umask_(currentUmask()),
      maxCached_(descriptorBudget(256)) {}

bool TreeWriter::needsChmod(std::uint32_t mode) const {
  // Creation applied the umask; special bits need an explicit chmod (and chown clears them).
  return (mode & 07000) != 0 || ((mode & 0777) & ~umask_) != (mode & 0777);
}

Status TreeWriter::restoreOwner(int dirfd, const std::string& name, const NodeMeta& m) {
  if (!preserveOwnership_)
    return {};
  if (::fchownat(dirfd, name.c_str(), m.uid, m.gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set owner");
  }
  return {};
}

Result<posix::UniqueFd> TreeWriter::openDir(const Parts& p, std::size_t n, bool create) {
  std::string path = joinParts(p, 0, n);
  if (path.size() < PATH_MAX - 1) {
    int fd = openat2Beneath(root_.get(), path);
    if (fd >= 0)
      return posix::UniqueFd(fd);
    // Missing directories, a symlink or file in the way, ENAMETOOLONG: the walk below creates
    // what is missing and names the exact component that is wrong.
  }
  int cur = root_.get();
  posix::UniqueFd held;
  for (std::size_t i = 0; i < n; ++i) {
    const char* name = p[i].c_str();
    int fd = ::openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(cur, name, 0755) != 0 && errno != EEXIST) {
        return sysError("cannot create directory " + quoted(joinParts(p, 0, i + 1)));
      }
      fd = ::openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      int err = errno;
      std::string sub = joinParts(p, 0, i + 1);
      if (err == ENOENT)
        return Error{quoted(sub) + " does not exist", err};
      if (err == ENOTDIR || err == ELOOP) {
        struct stat st;
        if (::fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
          return Error{quoted(sub) + " is a symlink, refusing to write through it", ELOOP};
        }
        return Error{quoted(sub) + " is not a directory", ENOTDIR};
      }
      return sysError("cannot open directory " + quoted(sub), err);
    }
    held.reset(fd);
    cur = fd;
  }
  return held;
}

Result<int> TreeWriter::parentOf(const Parts& p, bool create) {
  if (p.size() <= 1)
    return root_.get();
  std::string key = joinParts(p, 0, p.size() - 1);
  if (lastFd_ >= 0 && key == lastKey_)
    return lastFd_;
  if (auto it = cache_.find(key); it != cache_.end()) {
    lastKey_ = std::move(key);
    lastFd_ = it->second.get();
    return lastFd_;
  }
  auto fd = openDir(p, p.size() - 1, create);
  if (!fd)
    return fd.error();
  // Bounded: an archive spread over more directories than this just re-resolves.
  if (cache_.size() >= maxCached_)
    cache_.clear();
  lastFd_ = fd->get();
  cache_.emplace(key, std::move(*fd));
  lastKey_ = std::move(key);
  return lastFd_;
}

void TreeWriter::forget(const std::string& path) {
  for (auto it = cache_.begin(); it != cache_.end();) {
    const std::string& k = it->first;
    bool below = k == path || (k.size() > path.size() && k.compare(0, path.size(), path) == 0 &&
                               k[path.size()] == '/');
    it = below ? cache_.erase(it) : std::next(it);
  }
  lastKey_.clear();
  lastFd_ = -1;
}

Status TreeWriter::makeRoom(int dirfd, const Parts& p) {
  const std::string& name = p.back();
  std::string path = joinParts(p);
  struct stat st;
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT)
      return {};
    return sysError("cannot inspect the existing " + quoted(path));
  }
  if (onExisting_ == OnExisting::Fail)
    return Error{quoted(path) + " already exists", EEXIST};
  if (S_ISDIR(st.st_mode)) {
    if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) != 0) {
      if (errno == ENOTEMPTY || errno == EEXIST) {
        return Error{"cannot replace the non-empty directory " + quoted(path), errno};
      }
      return sysError("cannot remove the directory " + quoted(path));
    }
    forget(path);
    return {};
  }
  if (::unlinkat(dirfd, name.c_str(), 0) != 0)
    return sysError("cannot remove " + quoted(path));
  return {};
}

Status TreeWriter::directory(const Parts& p, const NodeMeta& m, const Xattrs& x) {
  int dirfd = -1;
  std::string name;
  struct stat st;
  if (p.empty()) {
    if (preserveOwnership_ && ::fchown(root_.get(), m.uid, m.gid) != 0) {
      return sysError("cannot set owner");
    }
    if (auto st2 = setXattrs(root_.get(), x); !st2)
      return st2;
    if (::fstat(root_.get(), &st) != 0)
      return sysError("cannot inspect the target");
  } else {
    auto parent = parentOf(p, true);
    if (!parent)
      return parent.error();
    dirfd = *parent;
    name = p.back();
    // Owner rwx until finish(), so an unprivileged extraction can fill it.
    const mode_t initial = (m.mode & 0777) | 0700;
    if (::mkdirat(dirfd, name.c_str(), initial) != 0) {
      if (errno != EEXIST)
        return sysError("cannot create directory");
      if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return sysError("cannot inspect the existing entry");
      }
      if (!S_ISDIR(st.st_mode)) {
        if (auto r = makeRoom(dirfd, p); !r)
          return r;
        if (::mkdirat(dirfd, name.c_str(), initial) != 0)
          return sysError("cannot create directory");
      }
    }
    if (auto r = restoreOwner(dirfd, name, m); !r)
      return r;
    if (!x.empty()) {
      posix::UniqueFd fd(
          ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!fd.valid())
        return sysError("cannot open directory");
      if (auto r = setXattrs(fd.get(), x); !r)
        return r;
    }
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return sysError("cannot inspect directory");
    }
  }
  // A directory listed twice gets the attributes of its last entry.
  std::string key = joinParts(p);
  PendingDir d{p, st.st_dev, st.st_ino, m};
  if (auto it = dirIndex_.find(key); it != dirIndex_.end()) {
    dirs_[it->second] = std::move(d);
  } else {
    dirIndex_.emplace(std::move(key), dirs_.size());
    dirs_.push_back(std::move(d));
  }
  return {};
}

Result<posix::UniqueFd> TreeWriter::createFile(const Parts& p, std::uint32_t mode) {
  auto parent = parentOf(p, true);
  if (!parent)
    return parent.error();
  const char* name = p.back().c_str();
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::openat(*parent, name, flags, mode & 0777);
  if (fd < 0 && errno == EEXIST) {
    if (auto r = makeRoom(*parent, p); !r)
      return r.error();
    fd = ::openat(*parent, name, flags, mode & 0777);
  }
  if (fd < 0)
    return sysError("cannot create file");
  return posix::UniqueFd(fd);
}

Status TreeWriter::finishFile(posix::UniqueFd fd, const NodeMeta& m, const Xattrs& x) {
  if (preserveOwnership_ && ::fchown(fd.get(), m.uid, m.gid) != 0) {
    return sysError("cannot set owner");
  }
  if (needsChmod(m.mode) && ::fchmod(fd.get(), m.mode & 07777) != 0) {
    return sysError("cannot set mode");
  }
  // After chown: changing the owner drops security.capability.
  if (auto r = setXattrs(fd.get(), x); !r)
    return r;
  const struct timespec times[2] = {m.atime, m.mtime};
  if (::futimens(fd.get(), times) != 0)
    return sysError("cannot set times");
  if (::close(fd.release()) != 0)
    return sysError("cannot write file");
  return {};
}

Status TreeWriter::symlink(const Parts& p, const std::string& target, const NodeMeta& m) {
  auto parent = parentOf(p, true);
  if (!parent)
    return parent.error();
  const char* name = p.back().c_str();
  int r = ::symlinkat(target.c_str(), *parent, name);
  if (r != 0 && errno == EEXIST) {
    if (auto st = makeRoom(*parent, p); !st)
      return st;
    r = ::symlinkat(target.c_str(), *parent, name);
  }
  if (r != 0)
    return sysError("cannot create symlink");
  if (auto st = restoreOwner(*parent, p.back(), m); !st)
    return st;
  const struct timespec times[2] = {m.atime, m.mtime};
  if (::utimensat(*parent, name, times, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set times");
  }
  return {};
}

Status TreeWriter::hardlink(const Parts& p, const Parts& target) {
  if (target.empty())
    return Error{"hard link to the extraction root"};
  std::string targetPath = joinParts(target);
  // The target's parent is resolved into a descriptor of its own: the cache may be trimmed by
  // the parentOf() call below.
  posix::UniqueFd targetDirHolder;
  int targetDir = root_.get();
  if (target.size() > 1) {
    auto fd = openDir(target, target.size() - 1, false);
    if (!fd)
      return fd.error().wrap("hard link target " + quoted(targetPath));
    targetDirHolder = std::move(*fd);
    targetDir = targetDirHolder.get();
  }
  auto parent = parentOf(p, true);
  if (!parent)
    return parent.error();
  const char* name = p.back().c_str();
  const char* tname = target.back().c_str();
  int r = ::linkat(targetDir, tname, *parent, name, 0);
  if (r != 0 && errno == EEXIST) {
    struct stat a, b;
    if (::fstatat(targetDir, tname, &a, AT_SYMLINK_NOFOLLOW) == 0 &&
        ::fstatat(*parent, name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
      return {};  // already that inode (a repeated entry)
    }
    if (auto st = makeRoom(*parent, p); !st)
      return st;
    r = ::linkat(targetDir, tname, *parent, name, 0);
  }
  if (r != 0) {
    int err = errno;
    if (err == ENOENT) {
      return Error{"hard link target " + quoted(targetPath) + " does not exist", err};
    }
    if (err == EPERM) {
      struct stat st;
      if (::fstatat(targetDir, tname, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
        return Error{"hard link target " + quoted(targetPath) + " is a directory", err};
      }
    }
    return sysError("cannot create hard link to " + quoted(targetPath), err);
  }
  return {};
}

Status TreeWriter::node(const Parts& p, mode_t type, dev_t rdev, const NodeMeta& m) {
  auto parent = parentOf(p, true);
  if (!parent)
    return parent.error();
  const char* name = p.back().c_str();
  int r = ::mknodat(*parent, name, type | (m.mode & 0777), rdev);
  if (r != 0 && errno == EEXIST) {
    if (auto st = makeRoom(*parent, p); !st)
      return st;
    r = ::mknodat(*parent, name, type | (m.mode & 0777), rdev);
  }
  if (r != 0)
    return sysError(type == S_IFIFO ? "cannot create fifo" : "cannot create device node");
  if (auto st = restoreOwner(*parent, p.back(), m); !st)
    return st;
  // Just created by us, so not a symlink: fchmodat may follow without harm.
  if (needsChmod(m.mode) && ::fchmodat(*parent, name, m.mode & 07777, 0) != 0) {
    return sysError("cannot set mode");
  }
  const struct timespec times[2] = {m.atime, m.mtime};
  if (::utimensat(*parent, name, times, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set times");
  }
  return {};
}

Status TreeWriter::finish() {
  // Deepest last: entries come parent-first, so reverse order sets a child before its parent
  // might lose the write or search permission it needs.
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
    const PendingDir& d = *it;
    const struct timespec times[2] = {d.meta.atime, d.meta.mtime};
    std::string path = d.parts.empty() ? std::string(".") : joinParts(d.parts);
    int fd = root_.get();
    posix::UniqueFd held;
    if (!d.parts.empty()) {
      auto parent = parentOf(d.parts, false);
      if (!parent)
        continue;  // replaced later in the archive: nothing to restore
      held.reset(::openat(*parent, d.parts.back().c_str(),
                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!held.valid())
        continue;
      fd = held.get();
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || st.st_dev != d.dev || st.st_ino != d.ino)
      continue;
    if (::fchmod(fd, d.meta.mode & 07777) != 0) {
      return sysError("cannot set the mode of directory " + quoted(path));
    }
    if (::futimens(fd, times) != 0)
      return sysError("cannot set the times of directory " + quoted(path));
  }
  return {};
}

}  // namespace rkt::archive::detail
