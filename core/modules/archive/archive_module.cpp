// rkt-archive.so: the core's own uses of libarchive (reading an ACI's manifest before import,
// writing an ACI for `rkt export`, unpacking a stored image for `rkt image extract`), an
// internal module loaded on first use (util/archive_module.hpp) so that commands which never
// touch an archive themselves (rkt run, rkt list, ...) do not map libarchive and its
// compression libraries at start. Same build as the core: C++ types cross this boundary.
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <ctime>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "rkt/support/archive/extract.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"
#include "util/archive_module.hpp"

namespace rkt::util {
namespace {

using pod::UidRange;
using Unshift = Result<std::uint32_t> (*)(const UidRange&, std::uint32_t);

constexpr la_int64_t kMaxManifest = 64 << 20;

std::string cleanName(std::string name) {
  while (name.rfind("./", 0) == 0) {
    name.erase(0, 2);
  }
  while (!name.empty() && name.back() == '/') {
    name.pop_back();
  }
  return name;
}

Result<std::string> readManifest(const std::string& path, const std::string& name) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(),
                                                              archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return Error{"cannot read image `" + name + "`: " + archive_error_string(a.get())};
  }
  archive_entry* entry = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    if (cleanName(archive_entry_pathname(entry)) != "manifest") {
      continue;
    }
    if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_size(entry) > kMaxManifest) {
      return Error{"cannot read image `" + name + "`: invalid manifest entry"};
    }
    std::string text(static_cast<size_t>(archive_entry_size(entry)), '\0');
    la_ssize_t n = archive_read_data(a.get(), text.data(), text.size());
    if (n < 0 || static_cast<size_t>(n) != text.size()) {
      return Error{"cannot read image `" + name + "`: truncated manifest"};
    }
    return text;
  }
  if (r == ARCHIVE_EOF) {
    return Error{"cannot read image `" + name + "`: missing image manifest"};
  }
  return Error{"cannot read image `" + name + "`: " + archive_error_string(a.get())};
}

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;
using EntryPtr = std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)>;

Error archiveError(struct archive* a, const std::string& what) {
  const char* msg = archive_error_string(a);
  return Error{what + ": " + (msg ? msg : "unknown error"), archive_errno(a)};
}

// Walks a directory tree in Go's filepath.Walk order (lexical by name, parents first), never
// following symlinks, and writes every entry below `root` to the archive.
class AciWriter {
 public:
  AciWriter(struct archive* a, std::optional<UidRange> range, Unshift unshift)
      : a_(a), range_(range), unshift_(unshift) {}

  Status walk(int dirFd, const std::string& rel, bool top) {
    DIR* d = ::fdopendir(::dup(dirFd));
    if (d == nullptr)
      return sysError("cannot read `" + rel + "`");
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..")
        names.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      if (top && name == "manifest")
        continue;  // the image manifest is written from appsinfo, last
      const std::string path = rel.empty() ? name : rel + "/" + name;
      struct stat st {};
      if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return sysError("cannot stat `" + path + "`");
      if (S_ISSOCK(st.st_mode))
        continue;
      if (Status s = addEntry(dirFd, name, path, st); !s)
        return s;
      if (S_ISDIR(st.st_mode)) {
        int fd = ::openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
          return sysError("cannot open `" + path + "`");
        Status s = walk(fd, path, false);
        ::close(fd);
        if (!s)
          return s;
      }
    }
    return {};
  }

  Status addManifest(const std::string& manifest) {
    EntryPtr entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), "manifest");
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(manifest.size()));
    archive_entry_set_mtime(entry.get(), ::time(nullptr), 0);
    if (archive_write_header(a_, entry.get()) != ARCHIVE_OK)
      return archiveError(a_, "cannot write `manifest`");
    if (archive_write_data(a_, manifest.data(), manifest.size()) < 0)
      return archiveError(a_, "cannot write `manifest`");
    return {};
  }

 private:
  Status addEntry(int dirFd, const std::string& name, const std::string& path,
                  const struct stat& st) {
    EntryPtr entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_copy_stat(entry.get(), &st);
    std::uint32_t uid = st.st_uid;
    std::uint32_t gid = st.st_gid;
    if (range_) {
      Result<std::uint32_t> u = unshift_(*range_, uid);
      Result<std::uint32_t> g = unshift_(*range_, gid);
      if (!u || !g)
        return Error{"error unshifting gid and uid of `" + path + "`", ERANGE};
      uid = *u;
      gid = *g;
    }
    archive_entry_set_uid(entry.get(), uid);
    archive_entry_set_gid(entry.get(), gid);
    archive_entry_set_atime(entry.get(), 0, 0);
    archive_entry_unset_atime(entry.get());
    archive_entry_unset_ctime(entry.get());
    bool withData = S_ISREG(st.st_mode);
    if (S_ISLNK(st.st_mode)) {
      std::vector<char> target(static_cast<size_t>(st.st_size > 0 ? st.st_size : PATH_MAX) + 1);
      ssize_t n = ::readlinkat(dirFd, name.c_str(), target.data(), target.size() - 1);
      if (n < 0)
        return sysError("cannot read link `" + path + "`");
      archive_entry_set_symlink(entry.get(), std::string(target.data(), n).c_str());
    } else if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
      // A hard link to a file already written: Go's tarheader keeps the first path.
      auto key = std::make_pair(st.st_dev, st.st_ino);
      auto [it, inserted] = links_.emplace(key, path);
      if (!inserted) {
        archive_entry_set_hardlink(entry.get(), it->second.c_str());
        archive_entry_set_size(entry.get(), 0);
        withData = false;
      }
    }
    if (!S_ISREG(st.st_mode) || !withData)
      archive_entry_set_size(entry.get(), 0);
    if (archive_write_header(a_, entry.get()) != ARCHIVE_OK)
      return archiveError(a_, "cannot write `" + path + "`");
    if (!withData)
      return {};
    const posix::UniqueFd fd(::openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
      return sysError("cannot open `" + path + "`");
    char buf[65536];
    la_int64_t left = st.st_size;
    while (left > 0) {
      ssize_t n = posix::readSome(fd.get(), buf, sizeof buf);
      if (n < 0)
        return sysError("cannot read `" + path + "`");
      if (n == 0)
        return Error{"`" + path + "` shrank while it was exported", EIO};
      n = static_cast<ssize_t>(std::min<la_int64_t>(n, left));
      if (archive_write_data(a_, buf, static_cast<size_t>(n)) < 0)
        return archiveError(a_, "cannot write `" + path + "`");
      left -= n;
    }
    return {};
  }

  struct archive* a_;
  std::optional<UidRange> range_;
  Unshift unshift_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const std::optional<UidRange>& range, Unshift unshift) {
  ArchivePtr a(archive_write_new(), archive_write_free);
  if (!a)
    return Error{"cannot create an archive writer", ENOMEM};
  if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) {
    return archiveError(a.get(), "cannot start the image");
  }
  const posix::UniqueFd root(::open(rootDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid())
    return sysError("cannot open `" + rootDir + "`");
  AciWriter writer(a.get(), range, unshift);
  if (Status s = writer.walk(root.get(), "", true); !s)
    return s.error().wrap("error walking rootfs");
  if (Status s = writer.addManifest(manifest); !s)
    return s;
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return archiveError(a.get(), "unable to close image");
  return {};
}

Status extractImage(const std::string& blob, const std::string& dir, bool rootfsOnly,
                    const std::string& image) {
  archive::ExtractOptions options;
  // The rules import and render apply: what render would refuse is refused here too, naming
  // the entry, never extracted in part behind a success.
  options.imageRules = archive::ImageLimits{};
  options.context = "cannot extract image `" + image + "`";
  if (rootfsOnly) {
    // rkt unpacked into cas/tmp and moved rootfs/ into place; extracting just the rootfs
    // straight into the target gives the same tree without the detour.
    options.prefix = "rootfs";
    options.stripPrefix = true;
  }
  options.onExisting = archive::OnExisting::Replace;
  auto stats = archive::extractTar(blob, dir, options);
  if (!stats)
    return stats.error();
  return {};
}

const ArchiveModule kModule{readManifest, writeAci, extractImage};

}  // namespace
}  // namespace rkt::util

extern "C" __attribute__((visibility("default"))) const rkt::util::ArchiveModule*
rkt_internal_archive_v1() {
  return &rkt::util::kModule;
}
