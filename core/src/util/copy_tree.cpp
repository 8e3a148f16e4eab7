// Every path is opened relative to an fd of its already-opened parent, with O_NOFOLLOW, on both
// sides: nothing in either tree can redirect the copy through a symlink.
#include "rkt/core/util/copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
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

Result<std::uint64_t> copyFileData(int inFd, int outFd, const std::string& what) {
  std::uint64_t total = 0;
  bool kernelCopy = true;
  while (kernelCopy) {
    const ssize_t n = ::copy_file_range(inFd, nullptr, outFd, nullptr, std::size_t{1} << 30, 0);
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
  for (;;) {
    const ssize_t n = ::read(inFd, buf.data(), buf.size());
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
}

namespace {

// "." for the directory itself, else the entry name (for *at calls on a directory fd).
std::string procPath(int dirFd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dirFd) + "/" + (name.empty() ? "." : name);
}

class Copier {
 public:
  explicit Copier(int destRoot) : destRoot_(destRoot) {}

  const CopyStats& stats() const { return stats_; }

  // Copies the entries of the directory open as `srcDir` into the one open as `dstDir`.
  Status copyDir(int srcDir, int dstDir, const std::string& relDir) {
    std::vector<std::string> names;
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
          names.push_back(n);
        }
      }
      ::closedir(d);
    }
    for (const std::string& name : names) {
      const std::string rel = relDir.empty() ? name : relDir + "/" + name;
      if (Status st = copyEntry(srcDir, dstDir, name, rel); !st) {
        return st;
      }
    }
    return {};
  }

  // Owner, mode, xattrs and times of an entry (name "" = the directory `dstDir` itself).
  Status finish(int srcDir, int dstDir, const std::string& name, const struct stat& st,
                const std::string& rel) {
    const bool isLink = S_ISLNK(st.st_mode);
    const int emptyPath = name.empty() ? AT_EMPTY_PATH : 0;
    if (root_ && ::fchownat(dstDir, name.c_str(), st.st_uid, st.st_gid,
                            emptyPath | AT_SYMLINK_NOFOLLOW) != 0) {
      return fail(rel, "cannot change owner");
    }
    // chown clears setuid/setgid, so the mode comes after it.
    if (!isLink) {
      const int rc = name.empty() ? ::fchmod(dstDir, st.st_mode & 07777)
                                  : ::fchmodat(dstDir, name.c_str(), st.st_mode & 07777, 0);
      if (rc != 0) {
        return fail(rel, "cannot change mode");
      }
    }
    if (Status x = copyXattrs(srcDir, dstDir, name, rel); !x) {
      return x;
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    const int rc = name.empty() ? ::futimens(dstDir, times)
                                : ::utimensat(dstDir, name.c_str(), times, AT_SYMLINK_NOFOLLOW);
    if (rc != 0) {
      return fail(rel, "cannot set times");
    }
    return {};
  }

  static Error fail(const std::string& rel, const std::string& what, int err = errno) {
    return sysError("cannot copy `" + (rel.empty() ? std::string(".") : rel) + "`: " + what, err);
  }

 private:
  Status copyEntry(int srcDir, int dstDir, const std::string& name, const std::string& rel) {
    struct stat st {};
    if (::fstatat(srcDir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
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
      if (Status r = copyDir(s.get(), t.get(), rel); !r) {
        return r;
      }
      // After the content, so the directory's times survive it.
      return finish(srcDir, dstDir, name, st, rel);
    }
    if (S_ISREG(st.st_mode)) {
      if (Status r = copyFile(srcDir, dstDir, name, st, rel); !r) {
        return r;
      }
    } else if (S_ISLNK(st.st_mode)) {
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
    return finish(srcDir, dstDir, name, st, rel);
  }

  Status copyFile(int srcDir, int dstDir, const std::string& name, const struct stat& st,
                  const std::string& rel) {
    Fd in(::openat(srcDir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in.ok()) {
      return fail(rel, "cannot open");
    }
    Fd out(
        ::openat(dstDir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.ok()) {
      return fail(rel, "cannot create");
    }
    Result<std::uint64_t> n = copyFileData(in.get(), out.get(), "cannot copy `" + rel + "`");
    if (!n) {
      return n.error();
    }
    stats_.bytes += *n;
    return {};
  }

  Status copyXattrs(int srcDir, int dstDir, const std::string& name, const std::string& rel) {
    const std::string srcPath = procPath(srcDir, name);
    const std::string dstPath = procPath(dstDir, name);
    ssize_t size = ::llistxattr(srcPath.c_str(), nullptr, 0);
    if (size <= 0) {
      return {};  // none, or no xattr support
    }
    std::string names(static_cast<std::size_t>(size), '\0');
    size = ::llistxattr(srcPath.c_str(), names.data(), names.size());
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
      ssize_t vsize = ::lgetxattr(srcPath.c_str(), key.c_str(), nullptr, 0);
      if (vsize < 0) {
        continue;
      }
      std::string value(static_cast<std::size_t>(vsize), '\0');
      vsize = ::lgetxattr(srcPath.c_str(), key.c_str(), value.data(), value.size());
      if (vsize < 0) {
        continue;
      }
      value.resize(static_cast<std::size_t>(vsize));
      if (::lsetxattr(dstPath.c_str(), key.c_str(), value.data(), value.size(), 0) != 0 &&
          errno != ENOTSUP) {
        return fail(rel, "cannot set extended attribute `" + key + "`");
      }
    }
    return {};
  }

  const bool root_ = ::geteuid() == 0;
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
  Copier c(t.get());
  if (Status r = c.copyDir(s.get(), t.get(), ""); !r) {
    return r.error();
  }
  if (Status r = c.finish(s.get(), t.get(), "", st, ""); !r) {
    return r.error();
  }
  return c.stats();
}

}  // namespace rkt::util
