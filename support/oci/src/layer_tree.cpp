#include "rkt/support/oci/layer_tree.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "layer.hpp"
#include "rkt/support/archive/extract.hpp"
#include "rkt/support/posix/errno_text.hpp"
#include "rkt/support/posix/overlay_layers.hpp"

namespace rkt::oci {
namespace {

std::string parentOf(const std::string& rel) {
  const auto slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// Creates the directory `rel` below `dir` and its missing parents, each with the attributes the
// lower layers give it (0755 root when none has it): an upper directory's attributes are what
// the stacked view shows.
Status ensureDirectory(const std::string& dir, const std::string& rel,
                       const std::vector<std::string>& lowers) {
  if (rel.empty() || exists(dir + "/" + rel)) {
    return {};
  }
  if (Status s = ensureDirectory(dir, parentOf(rel), lowers); !s) {
    return s;
  }
  const std::string path = dir + "/" + rel;
  if (::mkdir(path.c_str(), 0755) != 0) {
    return sysError("cannot create `" + rel + "`");
  }
  if (auto lower = posix::findInLayers(lowers, rel)) {
    return posix::copyAttributes(*lower, path, "`" + rel + "`");
  }
  return {};
}

}  // namespace

Result<LayerTreeStats> extractLayerTree(const std::string& blob, const std::string& dir,
                                        const std::vector<std::string>& lowersTopFirst,
                                        const std::string& context) {
  if (::chmod(dir.c_str(), 0755) != 0) {
    return sysError(context + ": cannot set the mode of `" + dir + "`");
  }
  std::vector<std::pair<std::string, std::string>> lowerLinks;  // name -> target below
  archive::ExtractOptions options;
  options.context = context;
  options.onExisting = archive::OnExisting::Replace;
  // One pass: the limits and the whiteouts are taken as the entries come (a whiteout only
  // becomes a device once the layer is extracted, so its place in the tar does not matter).
  const archive::ImageLimits limits;
  std::uint64_t entries = 0;
  detail::Whiteouts markers;
  Status refused;
  options.filter = [&](const archive::EntryInfo& entry) {
    if (!refused) {
      return false;
    }
    const char* symlink =
        entry.type == archive::EntryType::Symlink ? entry.linkTarget.c_str() : nullptr;
    if (Status s = detail::checkLimits(entry.path, symlink, ++entries, limits); !s) {
      refused = s.error().wrap(context);
      return false;
    }
    auto marker = detail::recordWhiteout(entry.path, markers);
    if (!marker) {
      refused = marker.error().wrap(context);
      return false;
    }
    if (*marker) {
      return false;  // turned into overlayfs' form below
    }
    if (entry.type == archive::EntryType::HardLink && !exists(dir + "/" + entry.linkTarget)) {
      lowerLinks.emplace_back(entry.destPath, entry.linkTarget);
      return false;
    }
    return true;
  };
  auto stats = archive::extractTar(blob, dir, options);
  if (!refused) {
    return refused.error();
  }
  if (!stats) {
    return stats.error();
  }
  const detail::Whiteouts* whiteouts = &markers;
  for (const auto& [name, target] : lowerLinks) {
    const std::string where = context + ": entry `" + name + "`";
    // A target this layer wrote after the link, or a copy made for an earlier link, is here.
    const std::string here = dir + "/" + target;
    std::optional<std::string> source = exists(here) ? std::optional<std::string>(here)
                                                     : posix::findInLayers(lowersTopFirst, target);
    if (!source) {
      return Error{where + ": hard link to `" + target + "`, which no layer has"};
    }
    if (Status s = ensureDirectory(dir, parentOf(name), lowersTopFirst); !s) {
      return s.error().wrap(where);
    }
    const std::string dest = dir + "/" + name;
    if (exists(dest)) {
      continue;  // the layer has the name itself
    }
    if (exists(here) ? ::link(here.c_str(), dest.c_str()) != 0
                     : !posix::copyEntry(*source, dest, "`" + target + "`")) {
      return sysError(where + ": cannot copy its target `" + target + "` from a lower layer");
    }
  }
  for (const std::string& removed : whiteouts->removed) {
    const std::string path = dir + "/" + removed;
    if (exists(path)) {
      continue;  // the layer's own entry wins over its whiteout
    }
    if (Status s = ensureDirectory(dir, parentOf(removed), lowersTopFirst); !s) {
      return s.error().wrap(context);
    }
    if (::mknod(path.c_str(), S_IFCHR | 0000, makedev(0, 0)) != 0) {
      return sysError(context + ": cannot create the whiteout of `" + removed + "`");
    }
  }
  for (const std::string& opaque : whiteouts->opaque) {
    if (Status s = ensureDirectory(dir, opaque, lowersTopFirst); !s) {
      return s.error().wrap(context);
    }
    const std::string path = opaque.empty() ? dir : dir + "/" + opaque;
    if (::lsetxattr(path.c_str(), posix::kOverlayOpaqueXattr, "y", 1, 0) != 0) {
      return sysError(context + ": cannot mark `" + opaque + "` opaque");
    }
  }
  LayerTreeStats out;
  out.entries = stats->entries;
  out.bytes = stats->bytes;
  return out;
}

Status addDevLinksAbove(const std::vector<std::string>& layersTopFirst, const std::string& topDir) {
  const std::string dev = topDir + "/dev";
  std::optional<std::string> lowerDev = posix::findInLayers(layersTopFirst, "dev");
  struct stat st {};
  if (lowerDev && (::lstat(lowerDev->c_str(), &st) != 0 || !S_ISDIR(st.st_mode))) {
    return Error{"`/dev` is not a directory in the image"};
  }
  if (::mkdir(dev.c_str(), 0755) != 0 && errno != EEXIST) {
    return sysError("cannot create `/dev`");
  }
  const std::pair<const char*, const char*> links[] = {{"stdin", "/proc/self/fd/0"},
                                                       {"stdout", "/dev/console"},
                                                       {"stderr", "/dev/console"},
                                                       {"fd", "/proc/self/fd"}};
  const struct timespec epoch[2] = {{0, 0}, {0, 0}};
  for (const auto& [name, target] : links) {
    const std::string rel = std::string("dev/") + name;
    if (posix::findInLayers(layersTopFirst, rel) || exists(topDir + "/" + rel)) {
      continue;
    }
    if (::symlink(target, (topDir + "/" + rel).c_str()) != 0 ||
        ::utimensat(AT_FDCWD, (topDir + "/" + rel).c_str(), epoch, AT_SYMLINK_NOFOLLOW) != 0) {
      return sysError("cannot create `/" + rel + "`");
    }
  }
  // The directory shows the lower /dev's attributes when there is one (an upper directory's
  // own are what the stack shows), the epoch otherwise.
  if (lowerDev) {
    return posix::copyAttributes(*lowerDev, dev, "`/dev`");
  }
  if (::utimensat(AT_FDCWD, dev.c_str(), epoch, AT_SYMLINK_NOFOLLOW) != 0) {
    return sysError("cannot set the times of `/dev`");
  }
  return {};
}

}  // namespace rkt::oci
