// removeTree walks the tree depth first with one open directory per level, but only for the
// deepest kRemoveTreeOpenLevels levels of the current path (the "window"). Going down past the
// window closes its shallowest level; coming back up to a level that was closed reopens it
// through ".." of the child, checks that it is on our mount (and is the top when it should be),
// and finds the child's name in it by inode. Such a level is read again from its start, which
// only costs the entries it still has. Nothing is kept per level outside the window, so memory
// and descriptors do not grow with the depth.
#include "rkt/support/posix/remove_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <vector>

#include "inode.hpp"
#include "rkt/support/posix/errno_text.hpp"

namespace rkt::posix {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// How often a directory may turn out not empty after it was emptied (entries added meanwhile)
// before the removal gives up. Nothing should write into a tree being removed: this only keeps
// a writer that never stops from keeping us busy forever.
constexpr int kMaxRescans = 16;
// Messages show at most this much of the path below the top (then `…` for the rest).
constexpr size_t kMaxTailChars = 160;

bool isDotOrDotDot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// Gives the directory open as `fd` u+rwx when it lacks it. True when the mode changed.
bool makeOwnerAccessible(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & S_IRWXU) == S_IRWXU) {
    return false;
  }
  return ::fchmod(fd, (st.st_mode & 07777) | S_IRWXU) == 0;
}

// Lifts what may make removing entries of the directory `fd` fail with EPERM / EACCES: its
// immutable or append-only attribute, missing write permission for us. True when something
// changed (worth one more try).
bool unblockDirectory(int fd) {
  const bool flags = clearRemovalBlockingFlags(fd);
  return makeOwnerAccessible(fd) || flags;
}

// Lifts the immutable or append-only attribute of the entry `name` itself. Only regular files
// and directories are opened for that: opening a device node could have effects of its own.
bool unblockEntry(int dirFd, const std::string& name) {
  struct stat st {};
  if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
      !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
    return false;
  }
  const int fd =
      ::openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  const bool changed = clearRemovalBlockingFlags(fd);
  ::close(fd);
  return changed;
}

// The name under which the directory `dir` holds the directory `target`: by d_ino first, then
// by stat for filesystems whose d_ino is not the inode number (overlayfs without xino). Empty
// when there is none.
Result<std::string> findDirectoryEntry(DIR* dir, const Identity& target) {
  for (int pass = 0; pass < 2; ++pass) {
    ::rewinddir(dir);
    errno = 0;
    while (const dirent* e = ::readdir(dir)) {
      struct stat st {};
      if (!isDotOrDotDot(e->d_name) && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN) &&
          (pass == 1 || e->d_ino == target.ino) &&
          ::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          st.st_dev == target.dev && st.st_ino == target.ino) {
        return std::string(e->d_name);
      }
      errno = 0;
    }
    if (errno != 0) {
      return sysError("readdir");
    }
  }
  return std::string();
}

// One open directory on the current path.
struct Level {
  DIR* dir = nullptr;
  Identity id;
  std::string name;  ///< in its parent; empty for the top and for a level reopened through ".."
  size_t depth = 0;  ///< the top is 0
  int fd() const { return ::dirfd(dir); }
};

class Remover {
 public:
  explicit Remover(std::string top) : top_(std::move(top)) {}
  ~Remover() {
    for (Level& level : window_) {
      ::closedir(level.dir);
    }
  }
  Remover(const Remover&) = delete;
  Remover& operator=(const Remover&) = delete;

  Status run();

 private:
  Status walk();
  Status descend(const std::string& name);
  Status removeNonDirectory(const std::string& name, bool mayDescend);
  Status ascend();
  Status reopenParent(Level& child);
  Status removeChild(const Level& child);
  Status push(int fd, const Identity& id, std::string name, size_t depth);
  std::string describe(const std::string& leaf) const;
  Error mounted(const std::string& leaf) const {
    return Error{"refusing to remove " + describe(leaf) + ": something is mounted there", EBUSY};
  }

  std::string top_;
  Identity topId_;
  std::deque<Level> window_;  ///< back() is the directory being emptied
  int rescans_ = 0;
};

Status Remover::run() {
  struct stat st {};
  if (::lstat(top_.c_str(), &st) != 0) {
    return errno == ENOENT ? Status() : sysError("cannot stat `" + top_ + "`");
  }
  if (!S_ISDIR(st.st_mode)) {
    for (int attempt = 0;; ++attempt) {
      if (::unlink(top_.c_str()) == 0 || errno == ENOENT) {
        return {};
      }
      const int err = errno;
      if (attempt == 0 && err == EPERM && unblockEntry(AT_FDCWD, top_)) {
        continue;
      }
      return sysError("cannot remove `" + top_ + "`", err);
    }
  }
  const int fd = ::open(top_.c_str(), kDirFlags);
  if (fd < 0) {
    return errno == ENOENT ? Status() : sysError("cannot open `" + top_ + "`");
  }
  Result<Identity> id = identify(fd);
  if (!id) {
    ::close(fd);
    return id.error().wrap("cannot stat `" + top_ + "`");
  }
  topId_ = *id;
  if (Status s = push(fd, *id, "", 0); !s) {
    return s;
  }
  // The top itself must not be a mount point: what is mounted there is not ours to empty.
  const int parentFd = ::openat(fd, "..", kDirFlags);
  if (parentFd < 0) {
    return sysError("cannot open the parent of `" + top_ + "`");
  }
  Result<Identity> parent = identify(parentFd);
  ::close(parentFd);
  if (!parent) {
    return parent.error().wrap("cannot stat the parent of `" + top_ + "`");
  }
  if (!sameMount(*parent, topId_)) {
    return Error{"refusing to remove `" + top_ + "`: it is a mount point", EBUSY};
  }

  if (Status s = walk(); !s) {
    return s;
  }
  // Only the top is open now, and empty. Its parent is not ours to change: the top goes by path.
  for (int attempt = 0;; ++attempt) {
    if (::rmdir(top_.c_str()) == 0 || errno == ENOENT) {
      return {};
    }
    const int err = errno;
    if (attempt == 0 && err == EPERM && clearRemovalBlockingFlags(window_.back().fd())) {
      continue;
    }
    return sysError("cannot remove `" + top_ + "`", err);
  }
}

Status Remover::walk() {
  for (;;) {
    const Level& cur = window_.back();
    errno = 0;
    const dirent* e = ::readdir(cur.dir);
    if (e == nullptr) {
      if (errno != 0) {
        return sysError("cannot read " + describe(""));
      }
      if (cur.depth == 0) {
        return {};
      }
      if (Status s = ascend(); !s) {
        return s;
      }
      continue;
    }
    if (isDotOrDotDot(e->d_name)) {
      continue;
    }
    const std::string name = e->d_name;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      if (::fstatat(cur.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) {
          continue;
        }
        return sysError("cannot stat " + describe(name));
      }
      type = IFTODT(st.st_mode);
    }
    if (Status s = type == DT_DIR ? descend(name) : removeNonDirectory(name, true); !s) {
      return s;
    }
  }
}

Status Remover::descend(const std::string& name) {
  const int parentFd = window_.back().fd();
  const size_t depth = window_.back().depth + 1;
  int fd = ::openat(parentFd, name.c_str(), kDirFlags);
  if (fd < 0 && errno == EACCES) {
    // Not readable or searchable by us (we are not root, and the tree is ours to remove). No
    // AT_SYMLINK_NOFOLLOW would be a way to chmod what a symlink points at.
    if (::fchmodat(parentFd, name.c_str(), S_IRWXU, AT_SYMLINK_NOFOLLOW) == 0) {
      fd = ::openat(parentFd, name.c_str(), kDirFlags);
    } else {
      errno = EACCES;
    }
  }
  if (fd < 0) {
    if (errno == ENOENT) {
      return {};
    }
    if (errno == ENOTDIR || errno == ELOOP) {
      return removeNonDirectory(name, false);  // replaced by a non-directory since readdir
    }
    return sysError("cannot open " + describe(name));
  }
  Result<Identity> id = identify(fd);
  if (!id) {
    ::close(fd);
    return id.error().wrap("cannot stat " + describe(name));
  }
  if (!sameMount(*id, topId_)) {
    ::close(fd);
    return mounted(name);
  }
  if ((id->mode & S_IRWXU) != S_IRWXU) {
    (void)::fchmod(fd, (id->mode & 07777) | S_IRWXU);  // best effort: root needs none of it
  }
  return push(fd, *id, name, depth);
}

Status Remover::removeNonDirectory(const std::string& name, bool mayDescend) {
  const int dirFd = window_.back().fd();
  for (int attempt = 0;; ++attempt) {
    if (::unlinkat(dirFd, name.c_str(), 0) == 0 || errno == ENOENT) {
      return {};
    }
    const int err = errno;
    if (err == EISDIR && mayDescend) {
      return descend(name);  // a directory after all (replaced since readdir)
    }
    if (attempt == 0 && (err == EPERM || err == EACCES)) {
      const bool dir = unblockDirectory(dirFd);
      if (unblockEntry(dirFd, name) || dir) {
        continue;
      }
    }
    if (err == EBUSY) {
      return mounted(name);  // a file bind mount
    }
    return sysError("cannot remove " + describe(name), err);
  }
}

Status Remover::ascend() {
  Level child = std::move(window_.back());
  window_.pop_back();
  struct Closer {
    DIR* dir;
    ~Closer() { ::closedir(dir); }
  } closer{child.dir};
  if (window_.empty()) {
    if (Status s = reopenParent(child); !s) {
      return s;
    }
  }
  return removeChild(child);
}

// The parent was closed to bound the descriptors: reopen it through "..", check that it is
// where it must be, and learn the child's name in it.
Status Remover::reopenParent(Level& child) {
  const int fd = ::openat(child.fd(), "..", kDirFlags);
  if (fd < 0) {
    return sysError("cannot open the parent of " + describe(child.name));
  }
  Result<Identity> id = identify(fd);
  if (!id) {
    ::close(fd);
    return id.error().wrap("cannot stat the parent of " + describe(child.name));
  }
  const size_t depth = child.depth - 1;
  if (!sameMount(*id, topId_) || sameInode(*id, topId_) != (depth == 0)) {
    ::close(fd);
    return Error{
        "cannot remove " + describe(child.name) + ": the tree changed while it was removed",
        ESTALE};
  }
  if (Status s = push(fd, *id, "", depth); !s) {
    return s;
  }
  Result<std::string> name = findDirectoryEntry(window_.back().dir, child.id);
  if (!name) {
    return name.error().wrap("cannot read " + describe(""));
  }
  if (name->empty()) {
    return Error{"cannot remove " + describe("…") + ": the tree changed while it was removed",
                 ESTALE};
  }
  child.name = *name;
  // Read from the start: the entries already removed are gone, the rest is still to do.
  ::rewinddir(window_.back().dir);
  return {};
}

// Removes the emptied directory `child` from window_.back().
Status Remover::removeChild(const Level& child) {
  const Level& parent = window_.back();
  for (int attempt = 0;; ++attempt) {
    if (::unlinkat(parent.fd(), child.name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
      return {};
    }
    const int err = errno;
    if (attempt == 0 && (err == EPERM || err == EACCES)) {
      const bool own = clearRemovalBlockingFlags(child.fd());
      if (unblockDirectory(parent.fd()) || own) {
        continue;
      }
    }
    if ((err == ENOTEMPTY || err == EEXIST) && ++rescans_ <= kMaxRescans) {
      // Something was added after we emptied it: read the parent again, which finds the child
      // and empties it again.
      ::rewinddir(parent.dir);
      return {};
    }
    if (err == EBUSY) {
      return mounted(child.name);
    }
    return sysError("cannot remove " + describe(child.name), err);
  }
}

Status Remover::push(int fd, const Identity& id, std::string name, size_t depth) {
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    Error e = sysError("cannot read " + describe(name));
    ::close(fd);
    return e;
  }
  if (window_.size() == static_cast<size_t>(kRemoveTreeOpenLevels)) {
    ::closedir(window_.front().dir);
    window_.pop_front();
  }
  window_.push_back(Level{dir, id, std::move(name), depth});
  return {};
}

// "`<top>/a/b/<leaf>`" for an entry of the current directory, from the names the window knows;
// `…` stands for the levels above it (closed, or too long to show).
std::string Remover::describe(const std::string& leaf) const {
  std::vector<const std::string*> parts;
  size_t chars = 0;
  if (!leaf.empty()) {
    parts.push_back(&leaf);
    chars += leaf.size() + 1;
  }
  bool reachedTop = false;
  for (auto it = window_.rbegin(); it != window_.rend(); ++it) {
    if (it->depth == 0) {
      reachedTop = true;
      break;
    }
    if (it->name.empty() || chars + it->name.size() + 1 > kMaxTailChars) {
      break;
    }
    parts.push_back(&it->name);
    chars += it->name.size() + 1;
  }
  std::string out = "`" + top_;
  if (!reachedTop) {
    out += "/…";
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    out += "/" + **it;
  }
  return out + "`";
}

}  // namespace

Status removeTree(const std::string& path) {
  return Remover(path).run();
}

}  // namespace rkt::posix
