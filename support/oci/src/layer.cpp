#include "layer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "rkt/support/archive/extract.hpp"
#include "rkt/support/archive/image_limits.hpp"
#include "rkt/support/archive/tar_file.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/remove_tree.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::oci::detail {
namespace {

constexpr const char* kWhiteoutPrefix = ".wh.";
constexpr const char* kOpaqueMarker = ".wh..wh..opq";

// A layer's name as a path below the root: "./a//b/" -> "a/b"; "" when it climbs out.
bool cleanName(const std::string& raw, std::string& out) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string::npos) {
      j = raw.size();
    }
    std::string part = raw.substr(i, j - i);
    if (part == "..") {
      if (parts.empty()) {
        return false;
      }
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  out.clear();
  for (const std::string& p : parts) {
    out += (out.empty() ? "" : "/") + p;
  }
  return true;
}

std::string baseName(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dirName(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// Opens directory `rel` below `rootfs` without following any symlink; an invalid fd when some
// component is missing or not a directory (then a lower layer has nothing there to remove).
posix::UniqueFd openBeneath(const std::string& rootfs, const std::string& rel) {
  posix::UniqueFd fd(::open(rootfs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  size_t i = 0;
  while (fd.valid() && i < rel.size()) {
    size_t j = rel.find('/', i);
    if (j == std::string::npos) {
      j = rel.size();
    }
    std::string part = rel.substr(i, j - i);
    fd = posix::UniqueFd(
        ::openat(fd.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    i = j + 1;
  }
  return fd;
}

// Keeps a directory's times across removals in it: the image's bytes (so its ID) must depend
// on the layers only, never on when they were applied.
class KeepTimes {
 public:
  explicit KeepTimes(int dirFd) : fd_(dirFd) { ok_ = ::fstat(fd_, &st_) == 0; }
  ~KeepTimes() {
    if (ok_) {
      const struct timespec times[2] = {st_.st_atim, st_.st_mtim};
      (void)::futimens(fd_, times);
    }
  }
  KeepTimes(const KeepTimes&) = delete;
  KeepTimes& operator=(const KeepTimes&) = delete;

 private:
  int fd_;
  struct stat st_ {};
  bool ok_ = false;
};

// Removes `rel` (any type, a directory with its content) when it exists below real directories.
Status removeBeneath(const std::string& rootfs, const std::string& rel) {
  posix::UniqueFd parent = openBeneath(rootfs, dirName(rel));
  if (!parent.valid()) {
    return {};
  }
  struct stat st {};
  if (::fstatat(parent.get(), baseName(rel).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return {};
  }
  const KeepTimes keep(parent.get());
  // Every parent is a real directory of the work tree: the path string names what we checked.
  return posix::removeTree(rootfs + "/" + rel);
}

// Removes what lower layers left in directory `rel`, keeping the directory.
Status emptyBeneath(const std::string& rootfs, const std::string& rel) {
  posix::UniqueFd dir = openBeneath(rootfs, rel);
  if (!dir.valid()) {
    return {};
  }
  std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(::dup(dir.get())), ::closedir);
  if (!d) {
    return sysError("cannot read `" + rel + "`");
  }
  const KeepTimes keep(dir.get());
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d.get())) {
    std::string n = e->d_name;
    if (n != "." && n != "..") {
      names.push_back(n);
    }
  }
  for (const std::string& n : names) {
    if (Status s = posix::removeTree(rootfs + "/" + (rel.empty() ? n : rel + "/" + n)); !s) {
      return s;
    }
  }
  return {};
}

}  // namespace

Status checkLimits(const std::string& name, const char* symlink, std::uint64_t entries,
                   const archive::ImageLimits& limits) {
  const std::string where = "entry `" + name + "`: ";
  if (entries > limits.maxEntries) {
    return Error{where + "the layer holds more than " + std::to_string(limits.maxEntries) +
                 " entries"};
  }
  if (name.size() + 1 > limits.maxPathLength) {
    return Error{where + "path length " + std::to_string(name.size() + 1) +
                 " exceeds the limit of " + std::to_string(limits.maxPathLength)};
  }
  if (symlink != nullptr && std::strlen(symlink) > limits.maxPathLength) {
    return Error{where + "symlink target length exceeds the limit of " +
                 std::to_string(limits.maxPathLength)};
  }
  std::uint32_t depth = 0;
  for (size_t i = 0; i < name.size();) {
    size_t j = name.find('/', i);
    j = j == std::string::npos ? name.size() : j;
    if (j - i > limits.maxNameLength) {
      return Error{where + "a name of " + std::to_string(j - i) + " bytes exceeds the limit of " +
                   std::to_string(limits.maxNameLength)};
    }
    if (++depth > limits.maxPathDepth) {
      return Error{where + "path depth exceeds the limit of " +
                   std::to_string(limits.maxPathDepth)};
    }
    i = j + 1;
  }
  return {};
}

Result<bool> recordWhiteout(const std::string& name, Whiteouts& out) {
  std::string base = baseName(name);
  if (base == kOpaqueMarker) {
    out.opaque.push_back(dirName(name));
    return true;
  }
  if (base.rfind(kWhiteoutPrefix, 0) != 0) {
    return false;
  }
  std::string target = base.substr(std::char_traits<char>::length(kWhiteoutPrefix));
  if (target.empty() || target == "." || target == "..") {
    return Error{"entry `" + name + "`: invalid whiteout"};
  }
  std::string dir = dirName(name);
  out.removed.push_back(dir.empty() ? target : dir + "/" + target);
  return true;
}

Result<Whiteouts> scanWhiteouts(const std::string& blob, const std::string& context) {
  auto opened = archive::openTarFile(blob, 1 << 16, context);
  if (!opened) {
    return opened.error();
  }
  archive::TarFileReader& a = *opened;
  Whiteouts out;
  const archive::ImageLimits limits;
  std::uint64_t entries = 0;
  archive_entry* e = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
    const char* raw = archive_entry_pathname(e);
    std::string name;
    if (raw == nullptr || !cleanName(raw, name)) {
      return Error{context + ": entry `" + std::string(raw ? raw : "") +
                   "`: the name climbs out of the archive root with `..`"};
    }
    if (Status s = checkLimits(name, archive_entry_symlink(e), ++entries, limits); !s) {
      return s.error().wrap(context);
    }
    if (auto marker = recordWhiteout(name, out); !marker) {
      return marker.error().wrap(context);
    }
  }
  if (r != ARCHIVE_EOF) {
    return Error{context + ": " + archive_error_string(a.get())};
  }
  return out;
}

bool isWhiteoutName(const std::string& path) {
  return baseName(path).rfind(kWhiteoutPrefix, 0) == 0;
}

Status applyLayer(const std::string& blob, const std::string& rootfs, const std::string& context) {
  auto whiteouts = scanWhiteouts(blob, context);
  if (!whiteouts) {
    return whiteouts.error();
  }
  for (const std::string& dir : whiteouts->opaque) {
    if (Status s = emptyBeneath(rootfs, dir); !s) {
      return s.error().wrap(context);
    }
  }
  for (const std::string& path : whiteouts->removed) {
    if (Status s = removeBeneath(rootfs, path); !s) {
      return s.error().wrap(context);
    }
  }
  archive::ExtractOptions options;
  options.context = context;
  options.onExisting = archive::OnExisting::Replace;
  Status replaced;
  options.filter = [&rootfs, &replaced](const archive::EntryInfo& entry) {
    if (isWhiteoutName(entry.path)) {
      return false;  // markers were applied above; they are not files of the image
    }
    if (entry.type != archive::EntryType::Directory && !entry.destPath.empty()) {
      // A non-directory replaces a lower directory with everything in it (overlayfs does).
      posix::UniqueFd parent = openBeneath(rootfs, dirName(entry.destPath));
      struct stat st {};
      if (parent.valid() &&
          ::fstatat(parent.get(), baseName(entry.destPath).c_str(), &st, AT_SYMLINK_NOFOLLOW) ==
              0 &&
          S_ISDIR(st.st_mode) && replaced) {
        const KeepTimes keep(parent.get());
        replaced = posix::removeTree(rootfs + "/" + entry.destPath);
      }
    }
    return true;
  };
  auto stats = archive::extractTar(blob, rootfs, options);
  if (!replaced) {
    return replaced.error().wrap(context);
  }
  if (!stats) {
    return stats.error();
  }
  return {};
}

}  // namespace rkt::oci::detail
