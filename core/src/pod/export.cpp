#include "rkt/core/pod/export.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "pod/mounts.hpp"
#include "pod/sys.hpp"
#include "rkt/core/pod/info.hpp"
#include "rkt/schema/image_manifest.hpp"

namespace rkt::pod {
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
  AciWriter(struct archive* a, std::optional<UidRange> range) : a_(a), range_(range) {}

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
      Result<std::uint32_t> u = unshiftId(*range_, uid);
      Result<std::uint32_t> g = unshiftId(*range_, gid);
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
    int fd = ::openat(dirFd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return sysError("cannot open `" + path + "`");
    sys::UniqueFd owned(fd);
    char buf[65536];
    la_int64_t left = st.st_size;
    while (left > 0) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
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
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

bool fileExistsAt(int dirFd, const std::string& rel) {
  struct stat st {};
  return ::fstatat(dirFd, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

// The overlay of the app's tree and its upper dir, mounted for the export's duration on a
// temporary directory under $DATA/tmp, removed (unmounted first) on destruction.
class OverlayView {
 public:
  ~OverlayView() {
    if (mounted_)
      ::umount2(rootfs().c_str(), MNT_DETACH);
    if (!dir_.empty())
      (void)mounts::removeTree(dir_);  // best effort: a leftover temp dir is harmless
  }

  Status mount(const Pod& pod, const std::string& app, const std::string& dataDir) {
    Result<std::string> id = sys::readFileAt(pod.dirFd(), "appsinfo/" + app + "/treeStoreID");
    if (!id)
      return id.error().wrap("cannot find the tree of app `" + app + "`");
    std::string treeId(sys::trimSpace(*id));
    if (treeId.empty() || treeId.find('/') != std::string::npos || treeId == "..")
      return Error{"invalid tree store ID of app `" + app + "`", EINVAL};
    const std::string lower = dataDir + "/cas/tree/" + treeId + "/rootfs";
    const std::string img = pod.path() + "/overlay/" + treeId;
    const std::string upper = img + "/upper/" + app;
    const std::string work = img + "/work/" + app;
    for (const std::string& p : {lower, upper, work}) {
      struct stat st {};
      if (::stat(p.c_str(), &st) != 0)
        return sysError("cannot use `" + p + "`");
    }
    const std::string tmp = dataDir + "/tmp";
    if (::mkdir(tmp.c_str(), 0750) != 0 && errno != EEXIST)
      return sysError("unable to create temp directory `" + tmp + "`");
    std::string templ = tmp + "/rkt-export-" + pod.uuid().str() + "XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr)
      return sysError("unable to create export temp directory");
    dir_ = templ;
    if (::mkdir(rootfs().c_str(), 0750) != 0)
      return sysError("unable to create rootfs directory inside temp directory");
    const std::string opts = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
    if (::mount("overlay", rootfs().c_str(), "overlay", 0, opts.c_str()) != 0)
      return sysError("couldn't mount directory at " + rootfs());
    mounted_ = true;
    return {};
  }

  const std::string& dir() const { return dir_; }
  std::string rootfs() const { return dir_ + "/rootfs"; }

 private:
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace

Result<UidRange> parseUidRange(const std::string& text) {
  std::string_view t = sys::trimSpace(text);
  size_t colon = t.find(':');
  long long shift = 0;
  long long count = 0;
  if (colon == std::string_view::npos || !sys::parseInt(t.substr(0, colon), shift) ||
      !sys::parseInt(t.substr(colon + 1), count) || shift < 0 || count < 0 || shift > UINT32_MAX ||
      count > UINT32_MAX) {
    return Error{"invalid uid range `" + std::string(t) + "`", EINVAL};
  }
  return UidRange{static_cast<std::uint32_t>(shift), static_cast<std::uint32_t>(count)};
}

Result<std::uint32_t> unshiftId(const UidRange& range, std::uint32_t id) {
  if (id < range.shift ||
      static_cast<std::uint64_t>(id) >= static_cast<std::uint64_t>(range.shift) + range.count) {
    return Error{"id " + std::to_string(id) + " is outside the pod's range", ERANGE};
  }
  return id - range.shift;
}

Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const std::optional<UidRange>& range) {
  ArchivePtr a(archive_write_new(), archive_write_free);
  if (!a)
    return Error{"cannot create an archive writer", ENOMEM};
  if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) {
    return archiveError(a.get(), "cannot start the image");
  }
  int root = ::open(rootDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return sysError("cannot open `" + rootDir + "`");
  sys::UniqueFd rootFd(root);
  AciWriter writer(a.get(), range);
  if (Status s = writer.walk(root, "", true); !s)
    return s.error().wrap("error walking rootfs");
  if (Status s = writer.addManifest(manifest); !s)
    return s;
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return archiveError(a.get(), "unable to close image");
  return {};
}

Status exportApp(const Pod& pod, const std::string& app, const ExportOptions& options) {
  if (pod.dirFd() < 0)
    return sysError("cannot export pod `" + pod.uuid().str() + "`", ENOENT);
  Result<std::string> manifest = sys::readFileAt(pod.dirFd(), "appsinfo/" + app + "/manifest");
  if (!manifest)
    return manifest.error().wrap("unable to read Image Manifest");
  // Written as rkt writes it: the parsed manifest marshalled again, compact.
  Result<schema::ImageManifest> parsed = schema::parseImageManifest(*manifest);
  if (!parsed)
    return parsed.error().wrap("unable to load Image Manifest");
  Result<std::string> serialized = schema::serializeImageManifest(*parsed);
  if (!serialized)
    return serialized.error().wrap("unable to load Image Manifest");

  std::optional<UidRange> range;
  if (Result<std::string> text = sys::readFileAt(pod.dirFd(), "private-users-prepared"); text) {
    Result<UidRange> r = parseUidRange(*text);
    if (!r)
      return r.error().wrap("problem deserializing the content of private-users-prepared");
    range = *r;
  } else if (text.error().sysErrno != ENOENT) {
    return text.error();
  }

  OverlayView overlay;
  std::string root = pod.path() + "/stage1/rootfs/opt/stage2/" + app;
  if (fileExistsAt(pod.dirFd(), "overlay-prepared")) {
    if (Status s = overlay.mount(pod, app, options.dataDir); !s)
      return s;
    root = overlay.dir();
  } else {
    Result<std::vector<mounts::MountInfo>> table = mounts::readMountInfo();
    if (!table)
      return table.error().wrap("error parsing mountpoints");
    char resolved[PATH_MAX];
    const std::string appRootfs = root + "/rootfs";
    std::string real = ::realpath(appRootfs.c_str(), resolved) ? resolved : appRootfs;
    for (const mounts::MountInfo& m : *table) {
      if (m.mountPoint != real && mounts::isAtOrBelow(m.mountPoint, real)) {
        return Error{
            "pod has remaining mountpoints. Only pods using overlayfs or with no "
            "mountpoints can be exported",
            EBUSY};
      }
    }
  }

  int flags = O_CREAT | O_WRONLY | O_CLOEXEC | (options.overwrite ? O_TRUNC : O_EXCL);
  int fd = ::open(options.output.c_str(), flags, 0644);
  if (fd < 0) {
    if (errno == EEXIST)
      return Error{"error building aci: target file exists (try --overwrite)", EEXIST};
    return sysError("error building aci: unable to open target " + options.output);
  }
  Status written = writeAci(fd, root, *serialized, range);
  if (::close(fd) != 0 && written)
    written = sysError("unable to close image " + options.output);
  if (!written) {
    ::unlink(options.output.c_str());
    return written.error().wrap("error building aci");
  }
  return {};
}

}  // namespace rkt::pod
