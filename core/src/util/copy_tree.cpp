// Every path is opened relative to an fd of its already-opened parent, with O_NOFOLLOW, on both
// sides: nothing in either tree can redirect the copy through a symlink.
#include "rkt/core/util/copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>
#include <vector>

namespace rkt::util {
namespace {

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

Result<std::uint64_t> copyFileData(int inFd, int outFd, const std::string& what,
                                   std::uint64_t size) {
  std::uint64_t total = 0;
  bool kernelCopy = true;
  while (kernelCopy) {
    if (total >= size) {
      return total;  // the known size is reached: no call just to be told "end of file"
    }
    const std::size_t chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(size - total, std::uint64_t{1} << 30));
    const ssize_t n = ::copy_file_range(inFd, nullptr, outFd, nullptr, chunk, 0);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL) {
        kernelCopy = false;  // go on with read/write from where we are
        break;
      }
      return sysError(what);
    }
    if (n == 0) {
      return total;
    }
    total += static_cast<std::uint64_t>(n);
  }
  std::vector<char> buf(std::size_t{1} << 20);
  while (total < size) {
    const ssize_t n =
        ::read(inFd, buf.data(),
               static_cast<std::size_t>(std::min<std::uint64_t>(size - total, buf.size())));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return sysError(what);
    }
    if (n == 0) {
      return total;
    }
    for (ssize_t off = 0; off < n;) {
      const ssize_t w = ::write(outFd, buf.data() + off, static_cast<std::size_t>(n - off));
      if (w < 0) {
        if (errno == EINTR) {
          continue;
        }
        return sysError(what);
      }
      off += w;
    }
    total += static_cast<std::uint64_t>(n);
  }
  return total;
}

namespace {

// "." for the directory itself, else the entry name (for *at calls on a directory fd).
std::string procPath(int dirFd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dirFd) + "/" + (name.empty() ? "." : name);
}

// The process umask without changing it (umask(2) can only be read by setting it, which races
// with other threads creating files). When it cannot be read, assume the worst: every mode then
// gets an explicit chmod.
mode_t currentUmask() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  if (f == nullptr) {
    return 0777;
  }
  char line[256];
  unsigned mask = 0777;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "Umask: %o", &mask) == 1) {
      break;
    }
  }
  std::fclose(f);
  return static_cast<mode_t>(mask & 0777);
}

// What a file got when it was created, so that finishing it can skip what is already right.
struct Created {
  uid_t uid;
  gid_t gid;
  mode_t mode;
};

// New files get the group of a setgid directory, else the process's effective group.
gid_t groupForNewFiles(const struct stat& dir) {
  return (dir.st_mode & S_ISGID) != 0 ? dir.st_gid : ::getegid();
}

struct Entry {
  std::string name;
  unsigned char type;  // d_type: DT_UNKNOWN when the filesystem does not say
};

class Copier {
 public:
  explicit Copier(int destRoot) : destRoot_(destRoot) {}

  const CopyStats& stats() const { return stats_; }

  // Copies the entries of the directory open as `srcDir` into the one open as `dstDir`.
  // `newGid`: the group a file created in `dstDir` gets (the directory's own when it is setgid).
  Status copyDir(int srcDir, int dstDir, const std::string& relDir, gid_t newGid) {
    std::vector<Entry> entries;
    {
      Fd listFd(::openat(srcDir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (!listFd.ok()) {
        return fail(relDir, "cannot open directory");
      }
      DIR* d = ::fdopendir(listFd.get());
      if (d == nullptr) {
        return fail(relDir, "cannot read directory");
      }
      listFd.release();  // closedir closes it
      while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") {
          entries.push_back(Entry{n, e->d_type});
        }
      }
      ::closedir(d);
    }
    for (const Entry& e : entries) {
      const std::string rel = relDir.empty() ? e.name : relDir + "/" + e.name;
      if (Status st = copyEntry(srcDir, dstDir, e, rel, newGid); !st) {
        return st;
      }
    }
    return {};
  }

  // Owner, mode, xattrs and times of the entry open as `dst` (copied from `src`, also open).
  // `created`: what `dst` already has, when known; the calls that would not change it are saved.
  Status finishFd(int src, int dst, const struct stat& st, const std::string& rel,
                  const Created* created = nullptr) {
    const bool owned = created != nullptr && created->uid == st.st_uid && created->gid == st.st_gid;
    if (root_ && !owned && ::fchown(dst, st.st_uid, st.st_gid) != 0) {
      return fail(rel, "cannot change owner");
    }
    // chown clears setuid/setgid, so the mode comes after it.
    const bool modeSet = owned && created->mode == (st.st_mode & 07777);
    if (!modeSet && ::fchmod(dst, st.st_mode & 07777) != 0) {
      return fail(rel, "cannot change mode");
    }
    if (Status x = copyXattrs(XattrSide{src, {}}, XattrSide{dst, {}}, rel); !x) {
      return x;
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::futimens(dst, times) != 0) {
      return fail(rel, "cannot set times");
    }
    return {};
  }

  static Error fail(const std::string& rel, const std::string& what, int err = errno) {
    return sysError("cannot copy `" + (rel.empty() ? std::string(".") : rel) + "`: " + what, err);
  }

 private:
  // An xattr endpoint: an open descriptor, or (fd < 0) a path that is not followed.
  struct XattrSide {
    int fd;
    std::string path;
  };

  // Owner, mode, xattrs and times of an entry that is not open (symlinks, nodes).
  Status finishAt(int srcDir, int dstDir, const std::string& name, const struct stat& st,
                  const std::string& rel) {
    if (root_ && ::fchownat(dstDir, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot change owner");
    }
    if (!S_ISLNK(st.st_mode) && ::fchmodat(dstDir, name.c_str(), st.st_mode & 07777, 0) != 0) {
      return fail(rel, "cannot change mode");
    }
    if (Status x = copyXattrs(XattrSide{-1, procPath(srcDir, name)},
                              XattrSide{-1, procPath(dstDir, name)}, rel);
        !x) {
      return x;
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::utimensat(dstDir, name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot set times");
    }
    return {};
  }

  Status copyEntry(int srcDir, int dstDir, const Entry& e, const std::string& rel, gid_t newGid) {
    const std::string& name = e.name;
    // A regular file (as the directory says) is opened first and checked through its
    // descriptor: one path lookup instead of two. O_NONBLOCK: should it have been replaced by a
    // FIFO meanwhile, opening it must not wait for a writer.
    Fd in;
    struct stat st {};
    if (e.type == DT_REG) {
      in = Fd(::openat(srcDir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
      if (in.ok()) {
        if (::fstat(in.get(), &st) != 0) {
          return fail(rel, "cannot stat");
        }
        if (!S_ISREG(st.st_mode)) {
          in = Fd();
        }
      }
    }
    if (!in.ok() && ::fstatat(srcDir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot stat");
    }
    if (S_ISSOCK(st.st_mode)) {
      return {};  // sockets belong to running processes, not to images
    }
    ++stats_.entries;
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
      auto [it, inserted] = links_.emplace(std::make_pair(st.st_dev, st.st_ino), rel);
      if (!inserted) {
        if (::linkat(destRoot_, it->second.c_str(), dstDir, name.c_str(), 0) != 0) {
          return fail(rel, "cannot link to `" + it->second + "`");
        }
        return {};
      }
    }
    if (S_ISDIR(st.st_mode)) {
      if (::mkdirat(dstDir, name.c_str(), 0700) != 0) {
        return fail(rel, "cannot create directory");
      }
      Fd s(::openat(srcDir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      Fd t(::openat(dstDir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!s.ok() || !t.ok()) {
        return fail(rel, "cannot open directory");
      }
      struct stat created {};
      if (::fstat(t.get(), &created) != 0) {
        return fail(rel, "cannot stat the copy");
      }
      if (Status r = copyDir(s.get(), t.get(), rel, groupForNewFiles(created)); !r) {
        return r;
      }
      // After the content, so the directory's times survive it.
      return finishFd(s.get(), t.get(), st, rel);
    }
    if (S_ISREG(st.st_mode)) {
      if (!in.ok()) {
        in = Fd(::openat(srcDir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        if (!in.ok()) {
          return fail(rel, "cannot open");
        }
      }
      return copyFile(in.get(), dstDir, name, st, rel, newGid);
    }
    if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
      const ssize_t n = ::readlinkat(srcDir, name.c_str(), target.data(), target.size());
      if (n < 0) {
        return fail(rel, "cannot read symlink");
      }
      target.resize(static_cast<std::size_t>(n));
      if (::symlinkat(target.c_str(), dstDir, name.c_str()) != 0) {
        return fail(rel, "cannot create symlink");
      }
    } else if (::mknodat(dstDir, name.c_str(), st.st_mode, st.st_rdev) != 0) {
      return fail(rel, "cannot create node");
    }
    return finishAt(srcDir, dstDir, name, st, rel);
  }

  Status copyFile(int in, int dstDir, const std::string& name, const struct stat& st,
                  const std::string& rel, gid_t newGid) {
    // Created with its final permission bits (the umask may take some away): the directory is
    // still 0700 while it is filled, so nobody else can open it meanwhile.
    const mode_t perm = st.st_mode & 0777;
    Fd out(
        ::openat(dstDir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, perm));
    if (!out.ok()) {
      return fail(rel, "cannot create");
    }
    Result<std::uint64_t> n = copyFileData(in, out.get(), "cannot copy `" + rel + "`",
                                           static_cast<std::uint64_t>(st.st_size));
    if (!n) {
      return n.error();
    }
    stats_.bytes += *n;
    const Created created{euid_, newGid, perm & ~umask_};
    return finishFd(in, out.get(), st, rel, &created);
  }

  static ssize_t listXattrs(const XattrSide& s, char* buf, std::size_t size) {
    return s.fd >= 0 ? ::flistxattr(s.fd, buf, size) : ::llistxattr(s.path.c_str(), buf, size);
  }
  static ssize_t getXattr(const XattrSide& s, const char* key, void* buf, std::size_t size) {
    return s.fd >= 0 ? ::fgetxattr(s.fd, key, buf, size)
                     : ::lgetxattr(s.path.c_str(), key, buf, size);
  }
  static int setXattr(const XattrSide& s, const char* key, const void* value, std::size_t size) {
    return s.fd >= 0 ? ::fsetxattr(s.fd, key, value, size, 0)
                     : ::lsetxattr(s.path.c_str(), key, value, size, 0);
  }

  Status copyXattrs(const XattrSide& src, const XattrSide& dst, const std::string& rel) {
    ssize_t size = listXattrs(src, nullptr, 0);
    if (size <= 0) {
      return {};  // none, or no xattr support
    }
    std::string names(static_cast<std::size_t>(size), '\0');
    size = listXattrs(src, names.data(), names.size());
    if (size < 0) {
      return {};
    }
    names.resize(static_cast<std::size_t>(size));
    for (std::size_t pos = 0; pos < names.size();) {
      const std::string key = names.c_str() + pos;
      pos += key.size() + 1;
      if (!(key.rfind("user.", 0) == 0 || (root_ && key.rfind("security.", 0) == 0))) {
        continue;
      }
      ssize_t vsize = getXattr(src, key.c_str(), nullptr, 0);
      if (vsize < 0) {
        continue;
      }
      std::string value(static_cast<std::size_t>(vsize), '\0');
      vsize = getXattr(src, key.c_str(), value.data(), value.size());
      if (vsize < 0) {
        continue;
      }
      value.resize(static_cast<std::size_t>(vsize));
      if (setXattr(dst, key.c_str(), value.data(), value.size()) != 0 && errno != ENOTSUP) {
        return fail(rel, "cannot set extended attribute `" + key + "`");
      }
    }
    return {};
  }

  const uid_t euid_ = ::geteuid();
  const bool root_ = euid_ == 0;
  const mode_t umask_ = currentUmask();
  const int destRoot_;
  CopyStats stats_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;  // source inode -> first copy
};

}  // namespace

Result<CopyStats> copyTree(const std::string& src, const std::string& dest) {
  struct stat st {};
  if (::lstat(src.c_str(), &st) != 0) {
    return sysError("cannot copy `" + src + "`");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error{"cannot copy `" + src + "`: not a directory", ENOTDIR};
  }
  if (::mkdir(dest.c_str(), 0700) != 0) {
    return sysError("cannot create `" + dest + "`");
  }
  Fd s(::open(src.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!s.ok()) {
    return sysError("cannot open `" + src + "`");
  }
  Fd t(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!t.ok()) {
    return sysError("cannot open `" + dest + "`");
  }
  struct stat created {};
  if (::fstat(t.get(), &created) != 0) {
    return sysError("cannot stat `" + dest + "`");
  }
  Copier c(t.get());
  if (Status r = c.copyDir(s.get(), t.get(), "", groupForNewFiles(created)); !r) {
    return r.error();
  }
  if (Status r = c.finishFd(s.get(), t.get(), st, ""); !r) {
    return r.error();
  }
  return c.stats();
}

}  // namespace rkt::util
