#include <rkt/support/archive/digest.hpp>
#include <rkt/support/archive/extract.hpp>
#include <rkt/support/posix/errno_text.hpp>
#include <rkt/support/posix/file_io.hpp>
#include <rkt/support/posix/unique_fd.hpp>

#include "entry.hpp"
#include "image_rules.hpp"
#include "path.hpp"
#include "stream.hpp"
#include "tar_reader.hpp"
#include "tree.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <optional>

namespace rkt::archive {
namespace {

using detail::CleanPath;
using detail::cleanPath;
using detail::entryHardlink;
using detail::entryPath;
using detail::entrySymlink;
using detail::joinParts;
using detail::Parts;
using detail::quoted;

struct Whitelist {
  Parts root;
  std::unordered_set<std::string> paths;
  bool filterDirectories;
};

// What rkt restores (pkg/tar): file capabilities and the user namespace.
bool keepXattr(const char* name) {
  return std::strcmp(name, "security.capability") == 0 || std::strncmp(name, "user.", 5) == 0;
}

detail::Xattrs entryXattrs(archive_entry* e) {
  detail::Xattrs out;
  if (archive_entry_xattr_reset(e) == 0)
    return out;
  const char* name = nullptr;
  const void* value = nullptr;
  std::size_t size = 0;
  while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    if (name != nullptr && keepXattr(name)) {
      out.emplace_back(name, std::string(static_cast<const char*>(value), size));
    }
  }
  return out;
}

bool isHexKey(const std::string& key) {
  const std::string prefix = "sha512-";
  if (key.compare(0, prefix.size(), prefix) != 0)
    return false;
  std::size_t n = key.size() - prefix.size();
  if (n != 64 && n != 128)
    return false;
  for (std::size_t i = prefix.size(); i < key.size(); ++i) {
    char c = key[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

class Extractor {
 public:
  Extractor(const ExtractOptions& o, detail::TarReader& reader, detail::TreeWriter& tree)
      : options_(o), reader_(reader), tree_(tree) {}

  Status prepare() {
    if (options_.imageRules)
      rules_.emplace(*options_.imageRules);
    CleanPath prefix = cleanPath(options_.prefix);
    if (prefix.escapes)
      return Error{"invalid prefix " + quoted(options_.prefix)};
    prefix_ = std::move(prefix.parts);
    for (const auto& w : options_.whitelists) {
      CleanPath root = cleanPath(w.root);
      if (root.escapes)
        return Error{"invalid whitelist root " + quoted(w.root)};
      Whitelist wl{std::move(root.parts), {}, w.filterDirectories};
      for (const auto& p : w.paths)
        wl.paths.insert("/" + joinParts(cleanPath(p).parts));
      whitelists_.push_back(std::move(wl));
    }
    return {};
  }

  /// After the last entry.
  Status finish() const { return rules_ ? rules_->finish() : Status(); }

  Status entry(archive_entry* e, ExtractStats& stats) {
    const char* raw = entryPath(e);
    if (raw == nullptr)
      return Error{"entry without a name"};
    CleanPath cp = cleanPath(raw);
    if (rules_) {
      // Every entry, before the prefix and whitelists: the whole image follows the rules.
      if (auto st = rules_->entry(e, cp); !st)
        return st;
    }
    if (cp.escapes)
      return Error{"the name climbs out of the archive root with `..`"};
    if (!detail::hasPrefix(cp.parts, prefix_)) {
      ++stats.skipped;
      return {};
    }

    auto kind = detail::entryType(e);
    if (!kind)
      return kind.error();
    if (!*kind) {
      ++stats.skipped;  // a socket
      return {};
    }
    const EntryType type = **kind;
    const char* hardlink = entryHardlink(e);

    for (const auto& wl : whitelists_) {
      if (!detail::hasPrefix(cp.parts, wl.root) || cp.parts.size() == wl.root.size())
        continue;
      if (type == EntryType::Directory && !wl.filterDirectories)
        continue;
      if (wl.paths.count("/" + joinParts(cp.parts, wl.root.size())) == 0) {
        ++stats.skipped;
        return {};
      }
    }

    const std::size_t strip = options_.stripPrefix ? prefix_.size() : 0;
    Parts dest(cp.parts.begin() + static_cast<std::ptrdiff_t>(strip), cp.parts.end());
    Parts linkDest;
    if (type == EntryType::HardLink) {
      CleanPath target = cleanPath(hardlink);
      if (target.escapes || target.parts.empty()) {
        return Error{"hard link target " + quoted(hardlink) + " is outside the archive"};
      }
      if (!detail::hasPrefix(target.parts, prefix_)) {
        return Error{"hard link target " + quoted(hardlink) + " is outside " +
                     quoted(options_.prefix)};
      }
      linkDest.assign(target.parts.begin() + static_cast<std::ptrdiff_t>(strip),
                      target.parts.end());
    }

    if (auto st = detail::checkOwner(e); !st)
      return st;
    const la_int64_t uid = archive_entry_uid(e);
    const la_int64_t gid = archive_entry_gid(e);
    const std::uint32_t mode = archive_entry_perm(e) & 07777;

    if (options_.filter) {
      EntryInfo info;
      info.path = joinParts(cp.parts);
      info.destPath = joinParts(dest);
      info.type = type;
      info.mode = mode;
      info.uid = uid;
      info.gid = gid;
      info.size = archive_entry_size(e);
      if (type == EntryType::HardLink)
        info.linkTarget = joinParts(cleanPath(hardlink).parts);
      if (type == EntryType::Symlink && entrySymlink(e) != nullptr)
        info.linkTarget = entrySymlink(e);
      if (!options_.filter(info)) {
        ++stats.skipped;
        return {};
      }
    }

    if (dest.empty() && type != EntryType::Directory) {
      return Error{"a non-directory cannot replace the extraction target"};
    }

    detail::NodeMeta meta;
    meta.mode = mode;
    meta.uid = static_cast<uid_t>(uid);
    meta.gid = static_cast<gid_t>(gid);
    if (archive_entry_mtime_is_set(e)) {
      meta.mtime = {archive_entry_mtime(e), archive_entry_mtime_nsec(e)};
    }
    if (archive_entry_atime_is_set(e)) {
      meta.atime = {archive_entry_atime(e), archive_entry_atime_nsec(e)};
    }

    switch (type) {
      case EntryType::Directory:
        ++stats.directories;
        return tree_.directory(dest, meta, entryXattrs(e));
      case EntryType::File:
        ++stats.files;
        return file(e, dest, meta, stats);
      case EntryType::Symlink: {
        const char* target = entrySymlink(e);
        if (target == nullptr)
          return Error{"symlink without a target"};
        ++stats.symlinks;
        return tree_.symlink(dest, target, meta);
      }
      case EntryType::HardLink:
        ++stats.hardlinks;
        return tree_.hardlink(dest, linkDest);
      case EntryType::CharDevice:
      case EntryType::BlockDevice: {
        ++stats.nodes;
        dev_t rdev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        return tree_.node(dest, type == EntryType::CharDevice ? S_IFCHR : S_IFBLK, rdev, meta);
      }
      case EntryType::Fifo:
        ++stats.nodes;
        return tree_.node(dest, S_IFIFO, 0, meta);
    }
    return {};
  }

 private:
  Status file(archive_entry* e, const Parts& dest, const detail::NodeMeta& meta,
              ExtractStats& stats) {
    auto fd = tree_.createFile(dest, meta.mode);
    if (!fd)
      return fd.error();
    std::optional<ContentDigest> digest;
    if (options_.fileDigests != nullptr)
      digest.emplace();
    // Blocks point into the stream's chunks: no copy between the tar and write(2). Offsets
    // jump over the holes of sparse files.
    la_int64_t pos = 0;
    for (;;) {
      const void* buf = nullptr;
      std::size_t len = 0;
      la_int64_t offset = 0;
      int r = archive_read_data_block(reader_.handle(), &buf, &len, &offset);
      if (r == ARCHIVE_EOF)
        break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        return reader_.failure("cannot read data");
      if (offset != pos) {
        if (::lseek(fd->get(), offset, SEEK_SET) < 0)
          return sysError("cannot seek");
        if (digest && offset > pos)
          digest->updateZeros(static_cast<std::uint64_t>(offset - pos));
        else if (offset < pos)
          digest.reset();  // written out of order: no digest, the caller reads the file
        pos = offset;
      }
      if (len > 0 && !posix::writeAll(fd->get(), buf, len))
        return sysError("cannot write file");
      if (digest)
        digest->update(buf, len);
      pos += static_cast<la_int64_t>(len);
      stats.bytes += len;
    }
    const la_int64_t size = archive_entry_size(e);
    if (pos < size && ::ftruncate(fd->get(), size) != 0)
      return sysError("cannot size file");
    if (options_.fileDigests != nullptr) {
      struct stat st {};
      if (::fstat(fd->get(), &st) != 0)
        return sysError("cannot stat file");
      std::pair<std::uint64_t, std::uint64_t> inode{st.st_dev, st.st_ino};
      if (digest) {
        if (pos < size)
          digest->updateZeros(static_cast<std::uint64_t>(size - pos));
        (*options_.fileDigests)[inode] =
            FileDigest{static_cast<std::uint64_t>(st.st_size), digest->digest()};
      } else {
        options_.fileDigests->erase(inode);  // an earlier file's inode, reused
      }
    }
    return tree_.finishFile(std::move(*fd), meta, entryXattrs(e));
  }

  const ExtractOptions& options_;
  detail::TarReader& reader_;
  detail::TreeWriter& tree_;
  Parts prefix_;
  std::vector<Whitelist> whitelists_;
  std::optional<detail::ImageRules> rules_;
};

std::string contextOf(const ExtractOptions& options, const std::string& name) {
  return options.context.empty() ? "cannot extract " + quoted(name) : options.context;
}

Result<ExtractStats> extract(int fd, const std::string& targetDir, const ExtractOptions& options) {
  const bool verify = !options.expectedKey.empty();
  if (verify && !isHexKey(options.expectedKey)) {
    return Error{"invalid expected image key " + quoted(options.expectedKey)};
  }
  posix::UniqueFd root(::open(targetDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid())
    return sysError("cannot open the target directory " + quoted(targetDir));

  Compression compression = Compression::None;
  auto decoder = detail::openDecoder(fd, &compression);
  if (!decoder)
    return decoder.error();
  Sha512 sha;
  // A producer thread takes decompression and hashing off the thread that writes the tree.
  auto stream = detail::makeChunkStream(
      std::move(*decoder), {compression != Compression::None || verify, verify ? &sha : nullptr});
  detail::TarReader reader(*stream, nullptr);
  if (auto st = reader.open(); !st)
    return st.error();

  const bool preserve = options.preserveOwnership.value_or(::geteuid() == 0);
  detail::TreeWriter tree(std::move(root), preserve, options.onExisting);
  Extractor ex(options, reader, tree);
  if (auto st = ex.prepare(); !st)
    return st.error();

  ExtractStats stats;
  std::string last;
  for (;;) {
    auto next = reader.next();
    if (!next) {
      return last.empty() ? next.error() : next.error().wrap("after entry " + quoted(last));
    }
    archive_entry* e = *next;
    if (e == nullptr)
      break;
    ++stats.entries;
    const char* raw = entryPath(e);
    last = raw != nullptr ? raw : "";
    if (auto st = ex.entry(e, stats); !st)
      return st.error().wrap("entry " + quoted(last));
  }
  if (auto st = ex.finish(); !st)
    return st.error();
  if (auto st = tree.finish(); !st)
    return st.error();
  if (verify) {
    if (auto st = reader.drain(); !st)
      return st.error();
    std::string digest = sha.hexDigest();
    std::string want = options.expectedKey.substr(7);
    if (digest.compare(0, want.size(), want) != 0) {
      return Error{"image hash does not match expected: got sha512-" + digest.substr(0, 64) +
                   ", want " + options.expectedKey.substr(0, 71)};
    }
  }
  return stats;
}

}  // namespace

Result<ExtractStats> extractTarFd(int fd, const std::string& name, const std::string& targetDir,
                                  const ExtractOptions& options) {
  auto r = extract(fd, targetDir, options);
  if (!r)
    return r.error().wrap(contextOf(options, name));
  return r;
}

Result<ExtractStats> extractTar(const std::string& archivePath, const std::string& targetDir,
                                const ExtractOptions& options) {
  posix::UniqueFd fd(::open(archivePath.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid())
    return sysError(contextOf(options, archivePath));
  return extractTarFd(fd.get(), archivePath, targetDir, options);
}

}  // namespace rkt::archive
