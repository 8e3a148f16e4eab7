#include <rkt/support/archive/digest.hpp>
#include <rkt/support/archive/import.hpp>

#include "fd.hpp"
#include "path.hpp"
#include "stream.hpp"
#include "tar_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>

#include <unordered_set>

namespace rkt::archive {

using detail::Bytes;

const char* compressionName(Compression c) {
  switch (c) {
    case Compression::Gzip:
      return "gzip";
    case Compression::Bzip2:
      return "bzip2";
    case Compression::Xz:
      return "xz";
    case Compression::None:
      break;
  }
  return "none";
}

std::string imageKeyFromDigest(const std::string& sha512Hex) {
  return "sha512-" + sha512Hex.substr(0, 64);
}

namespace {

// appc compares names after Go's filepath.Clean, which keeps a leading `/`: "/manifest" is not
// the manifest. Our cleaning drops it, so put it back for the comparison.
std::string appcName(const detail::CleanPath& cp) {
  std::string name = detail::joinParts(cp.parts);
  if (cp.absolute)
    return "/" + name;
  if (cp.escapes)
    return "../" + name;
  return name;
}

const char* entryName(archive_entry* e) {
  const char* name = archive_entry_pathname(e);
  // Without a UTF-8 locale libarchive cannot convert pax (UTF-8) names; the raw bytes are right.
  if (name == nullptr)
    name = archive_entry_pathname_utf8(e);
  return name;
}

Result<ImportedImage> importStream(int fd, const ImportOptions& options,
                                   const std::string& tempDir) {
  Compression compression = Compression::None;
  auto decoder = detail::openDecoder(fd, &compression);
  if (!decoder)
    return decoder.error();

  auto blob = options.lockTempFile ? PendingFile::createLocked(tempDir, options.tempPrefix)
                                   : PendingFile::create(tempDir, options.tempPrefix);
  if (!blob)
    return blob.error();

  // Decompression overlaps hashing, writing and parsing when it is the expensive part.
  auto stream =
      detail::makeChunkStream(std::move(*decoder), {compression != Compression::None, nullptr});
  Sha512 sha;
  std::uint64_t size = 0;
  const int out = blob->fd();
  const std::string& outPath = blob->path();
  detail::TarReader reader(*stream, [&](const Bytes& b) -> Status {
    sha.update(b.data, b.size);
    if (!detail::writeAll(out, b.data, b.size))
      return sysError("cannot write `" + outPath + "`");
    size += b.size;
    return {};
  });
  if (auto st = reader.open(); !st)
    return st.error();

  ImportedImage img;
  img.compression = compression;
  bool haveManifest = false;
  std::unordered_set<std::string> seen;
  std::string last;
  for (;;) {
    auto next = reader.next();
    if (!next) {
      auto err = next.error();
      return last.empty() ? err : err.wrap("at entry " + detail::quoted(last));
    }
    archive_entry* e = *next;
    if (e == nullptr)
      break;
    const char* raw = entryName(e);
    if (raw == nullptr)
      return Error{"entry without a name after " + detail::quoted(last)};
    last = raw;
    std::string name = appcName(detail::cleanPath(raw));

    TarLayout& layout = img.layout;
    ++layout.entries;
    if (!seen.insert(name).second && layout.firstDuplicate.empty())
      layout.firstDuplicate = name;
    bool isDir = archive_entry_filetype(e) == AE_IFDIR && archive_entry_hardlink(e) == nullptr;
    if (name == "rootfs" && isDir)
      layout.hasRootfsDir = true;
    bool known = name == "manifest" || name == "rootfs" || name.rfind("rootfs/", 0) == 0;
    if (!known && layout.firstUnrecognized.empty())
      layout.firstUnrecognized = name;
    if (const char* target = archive_entry_hardlink(e);
        target != nullptr && layout.firstEscapingHardLink.empty() &&
        appcName(detail::cleanPath(target)).rfind("rootfs/", 0) != 0) {
      layout.firstEscapingHardLink = name;
    }

    if (name != "manifest")
      continue;  // data is skipped (read through the stream) by libarchive
    if (haveManifest)
      return Error{"duplicate `manifest` entry"};
    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e) != nullptr) {
      return Error{"`manifest` entry is not a regular file"};
    }
    la_int64_t declared = archive_entry_size(e);
    if (declared < 0 || static_cast<std::uint64_t>(declared) > options.maxManifestSize) {
      return Error{"`manifest` entry is too large (" + std::to_string(declared) + " bytes, limit " +
                   std::to_string(options.maxManifestSize) + ")"};
    }
    img.manifest.resize(static_cast<std::size_t>(declared));
    std::size_t got = 0;
    while (got < img.manifest.size()) {
      la_ssize_t n =
          archive_read_data(reader.handle(), img.manifest.data() + got, img.manifest.size() - got);
      if (n < 0)
        return reader.failure("cannot read the `manifest` entry");
      if (n == 0)
        return Error{"truncated tar archive in the `manifest` entry"};
      got += static_cast<std::size_t>(n);
    }
    haveManifest = true;
  }
  if (auto st = reader.drain(); !st)
    return st.error();
  if (!haveManifest)
    return Error{"no `manifest` entry in the image"};

  img.sha512 = sha.hexDigest();
  img.key = imageKeyFromDigest(img.sha512);
  img.size = size;
  img.blob = std::move(*blob);
  return Result<ImportedImage>(std::move(img));
}

}  // namespace

Result<ImportedImage> importAciFd(int fd, const std::string& name, const std::string& tempDir,
                                  const ImportOptions& options) {
  auto r = importStream(fd, options, tempDir);
  if (!r)
    return r.error().wrap("cannot import " + detail::quoted(name));
  return r;
}

Result<ImportedImage> importAci(const std::string& path, const std::string& tempDir,
                                const ImportOptions& options) {
  detail::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid())
    return sysError("cannot import " + detail::quoted(path));
  return importAciFd(fd.get(), path, tempDir, options);
}

}  // namespace rkt::archive
