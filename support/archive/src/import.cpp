#include <rkt/support/archive/digest.hpp>
#include <rkt/support/archive/import.hpp>
#include <rkt/support/posix/errno_text.hpp>
#include <rkt/support/posix/file_io.hpp>
#include <rkt/support/posix/unique_fd.hpp>

#include "entry.hpp"
#include "image_rules.hpp"
#include "path.hpp"
#include "stream.hpp"
#include "tar_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>

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
    if (!posix::writeAll(out, b.data, b.size))
      return sysError("cannot write `" + outPath + "`");
    size += b.size;
    return {};
  });
  if (auto st = reader.open(); !st)
    return st.error();

  ImportedImage img;
  img.compression = compression;
  detail::ImageRules rules(options.limits);
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
    const char* raw = detail::entryPath(e);
    if (raw == nullptr)
      return Error{"entry without a name after " + detail::quoted(last)};
    last = raw;
    ++img.entries;
    detail::CleanPath cp = detail::cleanPath(raw);
    // Refused as soon as it streams by: nothing more of a hostile image is read.
    if (auto st = rules.entry(e, cp); !st)
      return st.error().wrap("entry " + detail::quoted(last));
    if (cp.absolute || cp.parts.size() != 1 || cp.parts[0] != "manifest")
      continue;  // data is skipped (read through the stream) by libarchive
    // The rules checked its type and size.
    img.manifest.resize(static_cast<std::size_t>(archive_entry_size(e)));
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
  }
  if (auto st = reader.drain(); !st)
    return st.error();
  if (auto st = rules.finish(); !st)
    return st.error();
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
  posix::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid())
    return sysError("cannot import " + detail::quoted(path));
  return importAciFd(fd.get(), path, tempDir, options);
}

}  // namespace rkt::archive
