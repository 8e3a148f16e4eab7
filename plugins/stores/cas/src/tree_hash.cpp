#include "tree_hash.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <rkt/support/archive/data_segments.hpp>
#include <rkt/support/archive/digest.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "errors.hpp"
#include "fs_util.hpp"
#include "hash_util.hpp"
#include "image_key.hpp"
#include "tree_files.hpp"
#include "tree_size.hpp"
#include "tree_walk.hpp"

namespace rkt::cas {
namespace {

constexpr size_t kReadBufferSize = 1 << 20;
// Headers are collected and hashed in batches.
constexpr size_t kHeaderBatch = 64 << 10;

bool keepXattr(std::string_view name) {
  return name == "security.capability" || name.substr(0, 5) == "user.";
}

void appendJsonString(std::string& out, std::string_view s) {
  static const char* const kHex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// A file's content digest as the hash headers spell it.
std::string hexOfDigest(const std::array<uint8_t, 32>& digest) {
  return hexOf(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

using Xattrs = std::vector<std::pair<std::string, std::string>>;

// One of fd (>= 0) or lpath is used: flistxattr/fgetxattr or llistxattr/lgetxattr; `path`
// names the entry in errors.
Xattrs readXattrs(int fd, const std::string& lpath, const std::string& path) {
  Xattrs out;
  std::string names;
  for (;;) {
    ssize_t n = fd >= 0 ? ::flistxattr(fd, nullptr, 0) : ::llistxattr(lpath.c_str(), nullptr, 0);
    if (n <= 0) {
      if (n < 0 && errno != ENOTSUP && errno != ENODATA) {
        throwSys("cannot list extended attributes of " + named(path));
      }
      return out;
    }
    names.resize(static_cast<size_t>(n));
    n = fd >= 0 ? ::flistxattr(fd, names.data(), names.size())
                : ::llistxattr(lpath.c_str(), names.data(), names.size());
    if (n >= 0) {
      names.resize(static_cast<size_t>(n));
      break;
    }
    if (errno != ERANGE) {
      throwSys("cannot list extended attributes of " + named(path));
    }
  }
  for (size_t pos = 0; pos < names.size();) {
    std::string name(names.c_str() + pos);
    pos += name.size() + 1;
    if (name.empty() || !keepXattr(name)) {
      continue;
    }
    std::string value;
    for (;;) {
      ssize_t n = fd >= 0 ? ::fgetxattr(fd, name.c_str(), nullptr, 0)
                          : ::lgetxattr(lpath.c_str(), name.c_str(), nullptr, 0);
      if (n < 0) {
        if (errno == ENODATA) {
          break;  // removed meanwhile
        }
        throwSys("cannot read extended attribute " + named(name) + " of " + named(path));
      }
      value.resize(static_cast<size_t>(n));
      n = fd >= 0 ? ::fgetxattr(fd, name.c_str(), value.data(), value.size())
                  : ::lgetxattr(lpath.c_str(), name.c_str(), value.data(), value.size());
      if (n >= 0) {
        value.resize(static_cast<size_t>(n));
        out.emplace_back(std::move(name), std::move(value));
        break;
      }
      if (errno != ERANGE) {
        throwSys("cannot read extended attribute " + named(name) + " of " + named(path));
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Walker {
 public:
  Walker(std::string root, const rkt::archive::FileDigests* known)
      : root_(std::move(root)), known_(known), buffer_(kReadBufferSize) {}

  TreeHash run() {
    struct stat st {};
    if (::lstat(root_.c_str(), &st) != 0) {
      throwSys("cannot stat tree " + named(root_));
    }
    size_.add(st);
    walkTree(root_, [this](const TreeEntry& e) {
      size_.add(e.st);
      if (e.rel == e.name && isTreeBookkeepingFile(e.name)) {
        return false;
      }
      return visit(e);
    });
    flushHeaders();
    result_.size = size_.bytes();
    result_.hash =
        std::string(kKeyPrefix) + sha_.hexDigest().substr(0, kKeyHexLength);  // a key's format
    return std::move(result_);
  }

 private:
  // Adds the entry's header; true for a directory, whose entries come next.
  bool visit(const TreeEntry& e) {
    const struct stat& st = e.st;
    const std::string& rel = e.rel;
    const std::string fullPath = root_ + "/" + rel;
    const int at = e.dirFd;
    const char* atName = e.name.c_str();
    Header h;
    h.mode = st.st_mode & 07777;
    h.uid = st.st_uid;
    h.gid = st.st_gid;
    switch (st.st_mode & S_IFMT) {
      case S_IFSOCK:
        return false;
      case S_IFDIR:
        h.typeflag = '5';
        h.xattrs = readXattrs(e.fd, "", fullPath);
        addHeader(rel, h);
        return true;
      default:
        break;
    }
    ++result_.entries;
    if (st.st_nlink > 1) {
      auto [it, first] = inodes_.emplace(std::make_pair(st.st_dev, st.st_ino), rel);
      if (!first) {
        h.typeflag = '1';
        h.linkname = it->second;
        addHeader(rel, h, false);
        return false;
      }
    }
    // The calls without an *at form reach the entry through its directory's descriptor.
    const std::string lpath = procPathOf(at, e.name);
    switch (st.st_mode & S_IFMT) {
      case S_IFREG:
        file(at, atName, lpath, rel, fullPath, st, h);
        return false;
      case S_IFLNK: {
        h.typeflag = '2';
        h.mode = 0777;  // what a tar header says for every symlink
        std::string target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 255) + 1, '\0');
        ssize_t n = ::readlinkat(at, atName, target.data(), target.size());
        if (n < 0) {
          throwSys("cannot read symlink " + named(fullPath));
        }
        target.resize(static_cast<size_t>(n));
        h.linkname = std::move(target);
        h.xattrs = readXattrs(-1, lpath, fullPath);
        addHeader(rel, h, false);
        return false;
      }
      case S_IFCHR:
      case S_IFBLK:
        h.typeflag = S_ISCHR(st.st_mode) ? '3' : '4';
        h.devMajor = major(st.st_rdev);
        h.devMinor = minor(st.st_rdev);
        h.xattrs = readXattrs(-1, lpath, fullPath);
        addHeader(rel, h, false);
        return false;
      case S_IFIFO:
        h.typeflag = '6';
        h.xattrs = readXattrs(-1, lpath, fullPath);
        addHeader(rel, h, false);
        return false;
      default:
        throw Error(RKT_E_IO, "cannot hash " + named(fullPath) + ": unknown file type");
    }
  }

  struct Header {
    uint32_t mode = 0;
    uint64_t uid = 0;
    uint64_t gid = 0;
    int64_t size = 0;
    char typeflag = '0';
    std::string linkname;
    uint64_t devMajor = 0;
    uint64_t devMinor = 0;
    Xattrs xattrs;
    std::string digest;  // regular files: ContentDigest of the content, hex
  };

  void file(int at, const char* atName, const std::string& lpath, const std::string& rel,
            const std::string& fullPath, const struct stat& st, Header& h) {
    h.typeflag = '0';
    h.size = st.st_size;
    if (known_ != nullptr) {
      auto it = known_->find({static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
      if (it != known_->end() && it->second.size == static_cast<uint64_t>(st.st_size)) {
        h.digest = hexOfDigest(it->second.digest);
        h.xattrs = readXattrs(-1, lpath, fullPath);
        addHeader(rel, h, false);
        return;
      }
    }
    // O_NOATIME: hashing must not turn every file of the tree into a metadata write.
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC;
    posix::UniqueFd fd(::openat(at, atName, flags | O_NOATIME));
    if (!fd.valid() && errno == EPERM) {
      fd.reset(::openat(at, atName, flags));
    }
    if (!fd.valid()) {
      throwSys("cannot open " + named(fullPath));
    }
    h.xattrs = readXattrs(fd.get(), "", fullPath);
    // Only the data segments are read; holes are zeros the digest counts without hashing.
    // Up to the size the header records: no last read just to be told "end of file" (a file
    // that shrank meanwhile ends early and its digest differs, as it should).
    rkt::archive::ContentDigest content;
    const auto size = static_cast<uint64_t>(st.st_size);
    rkt::archive::DataSegments segments(fd.get(), 0, size);
    uint64_t pos = 0;
    uint64_t offset = 0;
    uint64_t length = 0;
    bool shrank = false;
    while (!shrank && segments.next(offset, length)) {
      content.updateZeros(offset - pos);
      pos = offset;
      while (pos < offset + length) {
        ssize_t n = ::pread(fd.get(), buffer_.data(),
                            std::min<uint64_t>(offset + length - pos, buffer_.size()),
                            static_cast<off_t>(pos));
        if (n < 0) {
          if (errno == EINTR) {
            continue;
          }
          throwSys("cannot read " + named(fullPath));
        }
        if (n == 0) {
          shrank = true;
          break;
        }
        content.update(buffer_.data(), static_cast<size_t>(n));
        pos += static_cast<uint64_t>(n);
      }
    }
    if (segments.error() != 0) {
      throwSys("cannot read " + named(fullPath), segments.error());
    }
    if (!shrank) {
      content.updateZeros(size - pos);  // a hole up to the end
    }
    h.digest = hexOfDigest(content.digest());
    addHeader(rel, h, false);
  }

  void addHeader(const std::string& rel, const Header& h, bool countEntry = true) {
    if (countEntry) {
      ++result_.entries;
    }
    std::string& o = headers_;
    o += "{\"Name\":";
    appendJsonString(o, rel);
    o += ",\"Mode\":" + std::to_string(h.mode);
    o += ",\"UID\":" + std::to_string(h.uid);
    o += ",\"GID\":" + std::to_string(h.gid);
    o += ",\"Size\":" + std::to_string(h.size);
    o += ",\"Typeflag\":" + std::to_string(static_cast<unsigned char>(h.typeflag));
    o += ",\"Linkname\":";
    appendJsonString(o, h.linkname);
    o += ",\"Devmajor\":" + std::to_string(h.devMajor);
    o += ",\"Devminor\":" + std::to_string(h.devMinor);
    o += ",\"Xattrs\":[";
    for (size_t i = 0; i < h.xattrs.size(); ++i) {
      o += i == 0 ? "{\"Name\":" : ",{\"Name\":";
      appendJsonString(o, h.xattrs[i].first);
      o += ",\"Value\":";
      appendJsonString(o, h.xattrs[i].second);
      o += '}';
    }
    o += ']';
    if (h.typeflag == '0') {
      o += ",\"Digest\":\"";
      o += h.digest;
      o += '"';
    }
    o += '}';
    if (headers_.size() >= kHeaderBatch) {
      flushHeaders();
    }
  }

  void flushHeaders() {
    sha_.update(headers_.data(), headers_.size());
    headers_.clear();
  }

  std::string root_;
  const rkt::archive::FileDigests* known_;
  std::vector<char> buffer_;
  std::string headers_;
  rkt::archive::Sha512 sha_;
  TreeHash result_;
  std::map<std::pair<dev_t, ino_t>, std::string> inodes_;
  TreeSizeCounter size_;
};

}  // namespace

TreeHash hashTree(const std::string& treeDir, const rkt::archive::FileDigests* known) {
  return Walker(treeDir, known).run();
}

}  // namespace rkt::cas
