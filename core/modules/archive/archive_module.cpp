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

#include "rkt/support/archive/aci_writer.hpp"
#include "rkt/support/archive/extract.hpp"
#include "rkt/support/archive/tar_file.hpp"
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
  auto opened = archive::openTarFile(path, 64 * 1024, "cannot read image `" + name + "`");
  if (!opened) {
    return opened.error();
  }
  archive::TarFileReader& a = *opened;
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

Status writeAci(int fd, const std::string& rootDir, const std::string& manifest,
                const std::optional<UidRange>& range, Unshift unshift) {
  archive::OwnerMap ownerMap;
  if (range) {
    ownerMap = [&range, unshift](std::uint32_t& uid, std::uint32_t& gid,
                                 const std::string& path) -> Status {
      Result<std::uint32_t> u = unshift(*range, uid);
      Result<std::uint32_t> g = unshift(*range, gid);
      if (!u || !g)
        return Error{"error unshifting gid and uid of `" + path + "`", ERANGE};
      uid = *u;
      gid = *g;
      return {};
    };
  }
  return archive::writeAci(fd, rootDir, manifest, ownerMap);
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
