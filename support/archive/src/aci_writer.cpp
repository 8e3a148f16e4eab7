#include "rkt/support/archive/aci_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/file_io.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::archive {
namespace {

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
  AciWriter(struct archive* a, const OwnerMap& ownerMap) : a_(a), ownerMap_(ownerMap) {}

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

  Status addManifest(const std::string& manifest, std::optional<std::time_t> mtime) {
    EntryPtr entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), "manifest");
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(manifest.size()));
    archive_entry_set_mtime(entry.get(), mtime ? *mtime : ::time(nullptr), 0);
    if (archive_write_header(a_, entry.get()) != ARCHIVE_OK)
      return archiveError(a_, "cannot write `manifest`");
    if (archive_write_data(a_, manifest.data(), manifest.size()) < 0)
      return archiveError(a_, "cannot write `manifest`");
    return {};
  }

 private:
  // The extended attributes extraction restores (extract.cpp's keepXattr: file capabilities
  // and the user namespace), so a squashed image keeps what its layers carried.
  static Status addXattrs(int fd, struct archive_entry* entry, const std::string& path) {
    ssize_t len = ::flistxattr(fd, nullptr, 0);
    if (len < 0)
      return errno == ENOTSUP ? Status{} : sysError("cannot list the attributes of `" + path + "`");
    std::vector<char> names(static_cast<size_t>(len));
    len = ::flistxattr(fd, names.data(), names.size());
    if (len < 0)
      return sysError("cannot list the attributes of `" + path + "`");
    for (size_t i = 0; i < static_cast<size_t>(len); i += std::strlen(names.data() + i) + 1) {
      std::string name(names.data() + i);
      if (name != "security.capability" && name.rfind("user.", 0) != 0)
        continue;
      ssize_t size = ::fgetxattr(fd, name.c_str(), nullptr, 0);
      std::vector<char> value(static_cast<size_t>(size > 0 ? size : 0));
      if (size < 0 || ::fgetxattr(fd, name.c_str(), value.data(), value.size()) != size)
        return sysError("cannot read attribute `" + name + "` of `" + path + "`");
      archive_entry_xattr_add_entry(entry, name.c_str(), value.data(), value.size());
    }
    return {};
  }

  Status addEntry(int dirFd, const std::string& name, const std::string& path,
                  const struct stat& st) {
    EntryPtr entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), path.c_str());
    archive_entry_copy_stat(entry.get(), &st);
    std::uint32_t uid = st.st_uid;
    std::uint32_t gid = st.st_gid;
    if (ownerMap_) {
      if (Status s = ownerMap_(uid, gid, path); !s)
        return s;
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
    posix::UniqueFd fd;
    if (withData) {
      fd = posix::UniqueFd(::openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (!fd.valid())
        return sysError("cannot open `" + path + "`");
      if (Status s = addXattrs(fd.get(), entry.get(), path); !s)
        return s;
    }
    if (archive_write_header(a_, entry.get()) != ARCHIVE_OK)
      return archiveError(a_, "cannot write `" + path + "`");
    if (!withData)
      return {};
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
  const OwnerMap& ownerMap_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

}  // namespace

Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const OwnerMap& ownerMap, std::optional<std::time_t> manifestMtime) {
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
  AciWriter writer(a.get(), ownerMap);
  if (Status s = writer.walk(root.get(), "", true); !s)
    return s.error().wrap("error walking rootfs");
  if (Status s = writer.addManifest(manifest, manifestMtime); !s)
    return s;
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return archiveError(a.get(), "unable to close image");
  return {};
}

}  // namespace rkt::archive
