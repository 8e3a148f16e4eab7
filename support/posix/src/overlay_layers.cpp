#include "rkt/support/posix/overlay_layers.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <utility>

#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::posix {
namespace {

bool lstatPath(const std::string& path, struct stat& st) {
  return ::lstat(path.c_str(), &st) == 0;
}

bool isOpaque(const std::string& dir) {
  char value[2] = {};
  const ssize_t n = ::lgetxattr(dir.c_str(), kOverlayOpaqueXattr, value, sizeof value);
  return n == 1 && value[0] == 'y';
}

std::vector<std::string> components(const std::string& rel) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < rel.size()) {
    size_t j = rel.find('/', i);
    j = j == std::string::npos ? rel.size() : j;
    if (j > i) {
      out.push_back(rel.substr(i, j - i));
    }
    i = j + 1;
  }
  return out;
}

// The xattrs a copy keeps: rkt's (user.*, security.*); overlayfs' own never leave a layer.
bool keptXattr(const std::string& name) {
  return name.rfind("user.", 0) == 0 || name.rfind("security.", 0) == 0;
}

Status copyXattrs(const std::string& src, const std::string& dest, const std::string& what) {
  ssize_t len = ::llistxattr(src.c_str(), nullptr, 0);
  if (len <= 0) {
    return {};
  }
  std::string names(static_cast<size_t>(len), '\0');
  len = ::llistxattr(src.c_str(), names.data(), names.size());
  if (len < 0) {
    return sysError("cannot list the extended attributes of " + what);
  }
  for (size_t i = 0; i < static_cast<size_t>(len);) {
    const std::string name(names.c_str() + i);
    i += name.size() + 1;
    if (!keptXattr(name)) {
      continue;
    }
    const ssize_t size = ::lgetxattr(src.c_str(), name.c_str(), nullptr, 0);
    if (size < 0) {
      continue;
    }
    std::string value(static_cast<size_t>(size), '\0');
    if (::lgetxattr(src.c_str(), name.c_str(), value.data(), value.size()) != size) {
      continue;
    }
    if (::lsetxattr(dest.c_str(), name.c_str(), value.data(), value.size(), 0) != 0 &&
        errno != ENOTSUP && errno != EPERM) {
      return sysError("cannot set the extended attribute `" + name + "` of " + what);
    }
  }
  return {};
}

Status copyData(const std::string& src, const std::string& dest, mode_t mode,
                const std::string& what) {
  UniqueFd in(::open(src.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!in.valid()) {
    return sysError("cannot open " + what);
  }
  UniqueFd out(
      ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode & 0777));
  if (!out.valid()) {
    return sysError("cannot create the copy of " + what);
  }
  for (;;) {
    const ssize_t n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, 1 << 30, 0);
    if (n == 0) {
      return {};
    }
    if (n > 0) {
      continue;
    }
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
      return sysError("cannot copy " + what);
    }
    break;  // no copy_file_range between these: plain read/write from where it stopped
  }
  std::vector<char> buf(1 << 16);
  for (;;) {
    const ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n == 0) {
      return {};
    }
    if (n < 0 || ::write(out.get(), buf.data(), static_cast<size_t>(n)) != n) {
      return sysError("cannot copy " + what);
    }
  }
}

class Merger {
 public:
  explicit Merger(std::string dest) : dest_(std::move(dest)) {}

  Status layer(const std::string& root) {
    links_.clear();
    if (Status s = walk(root, ""); !s) {
      return s;
    }
    return copyAttributes(root, dest_, "`/`");
  }

 private:
  Status walk(const std::string& root, const std::string& rel) {
    const std::string dir = rel.empty() ? root : root + "/" + rel;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) {
      return sysError("cannot read `" + dir + "`");
    }
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d.get())) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") {
        names.push_back(n);
      }
    }
    d.reset();
    for (const std::string& n : names) {
      const std::string r = rel.empty() ? n : rel + "/" + n;
      if (Status s = entry(root, r); !s) {
        return s;
      }
    }
    return {};
  }

  Status entry(const std::string& root, const std::string& rel) {
    const std::string src = root + "/" + rel;
    const std::string dest = dest_ + "/" + rel;
    const std::string what = "`/" + rel + "`";
    struct stat st {};
    if (!lstatPath(src, st)) {
      return sysError("cannot read `" + src + "`");
    }
    struct stat existing {};
    const bool exists = lstatPath(dest, existing);
    if (isWhiteout(st)) {
      return exists ? removeTree(dest) : Status{};
    }
    if (S_ISDIR(st.st_mode)) {
      if (exists && (!S_ISDIR(existing.st_mode) || isOpaque(src))) {
        if (Status s = removeTree(dest); !s) {
          return s;
        }
      }
      if ((!exists || !S_ISDIR(existing.st_mode) || isOpaque(src)) &&
          ::mkdir(dest.c_str(), 0700) != 0) {
        return sysError("cannot create " + what);
      }
      if (Status s = walk(root, rel); !s) {
        return s;
      }
      return copyAttributes(src, dest, what);
    }
    if (exists) {
      if (Status s = removeTree(dest); !s) {
        return s;
      }
    }
    if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
      auto [it, fresh] = links_.emplace(std::make_pair(st.st_dev, st.st_ino), dest);
      if (!fresh) {
        if (::link(it->second.c_str(), dest.c_str()) != 0) {
          return sysError("cannot link " + what);
        }
        return {};
      }
    }
    return copyEntry(src, dest, what);
  }

  std::string dest_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;  // this layer's hard-linked inodes
};

}  // namespace

bool isWhiteout(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

std::optional<std::string> findInLayers(const std::vector<std::string>& layersTopFirst,
                                        const std::string& rel) {
  const std::vector<std::string> parts = components(rel);
  for (const std::string& layer : layersTopFirst) {
    std::string path = layer;
    bool hidden = false;  // an opaque directory on the way: lower layers have nothing here
    for (size_t i = 0; i < parts.size(); ++i) {
      path += "/" + parts[i];
      struct stat st {};
      if (!lstatPath(path, st)) {
        break;  // not in this layer: maybe in a lower one
      }
      if (isWhiteout(st)) {
        return std::nullopt;
      }
      const bool last = i + 1 == parts.size();
      if (last) {
        return path;
      }
      if (!S_ISDIR(st.st_mode)) {
        return std::nullopt;  // below a non-directory of this layer
      }
      hidden = hidden || isOpaque(path);
    }
    if (parts.empty()) {
      return layer;
    }
    if (hidden) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Status copyAttributes(const std::string& src, const std::string& dest, const std::string& what) {
  struct stat st {};
  if (!lstatPath(src, st)) {
    return sysError("cannot read " + what);
  }
  if (::geteuid() == 0 && ::lchown(dest.c_str(), st.st_uid, st.st_gid) != 0) {
    return sysError("cannot set the owner of " + what);
  }
  if (!S_ISLNK(st.st_mode) && ::chmod(dest.c_str(), st.st_mode & 07777) != 0) {
    return sysError("cannot set the mode of " + what);
  }
  if (Status s = copyXattrs(src, dest, what); !s) {
    return s;
  }
  const struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (::utimensat(AT_FDCWD, dest.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set the times of " + what);
  }
  return {};
}

Status copyEntry(const std::string& src, const std::string& dest, const std::string& what) {
  struct stat st {};
  if (!lstatPath(src, st)) {
    return sysError("cannot read " + what);
  }
  if (S_ISREG(st.st_mode)) {
    if (Status s = copyData(src, dest, st.st_mode, what); !s) {
      return s;
    }
  } else if (S_ISLNK(st.st_mode)) {
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    const ssize_t n = ::readlink(src.c_str(), target.data(), target.size());
    if (n < 0) {
      return sysError("cannot read the symlink " + what);
    }
    target.resize(static_cast<size_t>(n));
    if (::symlink(target.c_str(), dest.c_str()) != 0) {
      return sysError("cannot create the symlink " + what);
    }
  } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)) {
    if (::mknod(dest.c_str(), st.st_mode, st.st_rdev) != 0) {
      return sysError("cannot create " + what);
    }
  } else {
    return {};  // sockets: nothing to copy, as rkt's tree copy
  }
  return copyAttributes(src, dest, what);
}

Status mergeLayers(const std::vector<std::string>& layersTopFirst, const std::string& dest) {
  Merger merger(dest);
  for (auto it = layersTopFirst.rbegin(); it != layersTopFirst.rend(); ++it) {
    if (Status s = merger.layer(*it); !s) {
      return s.error().wrap("cannot merge layer `" + *it + "`");
    }
  }
  return {};
}

}  // namespace rkt::posix
