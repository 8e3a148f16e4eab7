#include "image_rules.hpp"

#include "entry.hpp"

#include <cstring>
#include <string>

namespace rkt::archive::detail {
namespace {

constexpr char kRootfs[] = "rootfs";
constexpr char kManifest[] = "manifest";

Error overLimit(const char* what, std::uint64_t value, std::uint64_t limit, const char* unit) {
  return Error{what + (" " + std::to_string(value)) + " exceeds the limit of " +
               std::to_string(limit) + unit};
}

}  // namespace

Status ImageRules::checkLimits(const Parts& parts) const {
  // parts[0] is `rootfs`: the path the apps see is "/" + the rest.
  const std::size_t depth = parts.size() - 1;
  if (depth > limits_.maxPathDepth)
    return overLimit("path depth", depth, limits_.maxPathDepth, "");
  std::uint64_t length = 0;
  for (std::size_t i = 1; i < parts.size(); ++i)
    length += 1 + parts[i].size();
  if (length > limits_.maxPathLength)
    return overLimit("path length", length, limits_.maxPathLength, " bytes");
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].size() > limits_.maxNameLength) {
      return overLimit("name length", parts[i].size(), limits_.maxNameLength, " bytes")
          .wrap("name " + quoted(parts[i]));
    }
  }
  return {};
}

Result<std::uint8_t> ImageRules::hardLinkTarget(const char* target) const {
  CleanPath cp = cleanPath(target);
  if (cp.escapes || cp.absolute || cp.parts.empty() || cp.parts[0] != kRootfs)
    return Error{"hard link target " + quoted(target) + " is outside the image's `rootfs`"};
  PathTree::Id node = PathTree::kRoot;
  for (const std::string& part : cp.parts) {
    node = tree_.find(node, part);
    if (node == PathTree::kNone)
      break;
  }
  if (node == PathTree::kNone || tree_.tag(node) == kImplied)
    return Error{"hard link target " + quoted(target) + " is not an earlier entry of the image"};
  if (tree_.tag(node) == kDirectory)
    return Error{"hard link target " + quoted(target) + " is a directory"};
  return tree_.tag(node);
}

Status ImageRules::entry(archive_entry* e, const CleanPath& cp) {
  if (cp.escapes)
    return Error{"the name climbs out of the archive root with `..`"};
  auto type = entryType(e);
  if (!type)
    return type.error();
  if (auto st = checkOwner(e); !st)
    return st;
  const Parts& parts = cp.parts;
  if (parts.empty() && !cp.absolute && *type == EntryType::Directory)
    return {};  // `./`: the image's top, which extraction merges into the target
  const bool isManifest = !cp.absolute && parts.size() == 1 && parts[0] == kManifest;
  const bool inRootfs = !cp.absolute && !parts.empty() && parts[0] == kRootfs;
  if (!isManifest && !inRootfs)
    return Error{"unrecognized path: an ACI holds only `manifest` and `rootfs/`"};
  if (inRootfs) {
    if (auto st = checkLimits(parts); !st)
      return st;
  }

  std::uint8_t tag = kOther;  // files, devices, FIFOs, sockets
  if (*type == EntryType::Directory) {
    tag = kDirectory;
  } else if (*type == EntryType::Symlink) {
    tag = kSymlink;
    const char* target = entrySymlink(e);
    if (target == nullptr)
      return Error{"symlink without a target"};
    if (std::strlen(target) > limits_.maxPathLength) {
      return overLimit("symlink target length", std::strlen(target), limits_.maxPathLength,
                       " bytes");
    }
  } else if (*type == EntryType::HardLink) {
    auto linked = hardLinkTarget(entryHardlink(e));
    if (!linked)
      return linked.error();
    tag = *linked;  // a second name of a symlink is a symlink
  }
  if (isManifest) {
    if (*type != EntryType::File)
      return Error{"`manifest` entry is not a regular file"};
    const la_int64_t size = archive_entry_size(e);
    if (size < 0 || static_cast<std::uint64_t>(size) > limits_.maxManifestSize) {
      return overLimit("manifest size", static_cast<std::uint64_t>(size < 0 ? 0 : size),
                       limits_.maxManifestSize, " bytes");
    }
  }

  PathTree::Id node = PathTree::kRoot;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    bool created = false;
    node = tree_.add(node, parts[i], kImplied, &created);
    if (created)
      continue;
    if (tree_.tag(node) == kSymlink) {
      return Error{quoted(joinParts(parts, 0, i + 1)) +
                   " is a symlink in the image, refusing to write through it"};
    }
    if (tree_.tag(node) == kOther)
      return Error{quoted(joinParts(parts, 0, i + 1)) + " is not a directory in the image"};
  }
  bool created = false;
  node = tree_.add(node, parts.back(), tag, &created);
  if (!created) {
    if (tree_.tag(node) != kImplied)
      return Error{"the image lists " + quoted(joinParts(parts)) + " twice"};
    if (tag != kDirectory)
      return Error{"not a directory, but earlier entries of the image are below it"};
    tree_.setTag(node, kDirectory);
  }
  if (tree_.size() > limits_.maxEntries)
    return overLimit("entry count", tree_.size(), limits_.maxEntries, "");
  haveManifest_ = haveManifest_ || isManifest;
  return {};
}

Status ImageRules::finish() const {
  if (!haveManifest_)
    return Error{"no `manifest` entry in the image"};
  PathTree::Id rootfs = tree_.find(PathTree::kRoot, kRootfs);
  if (rootfs == PathTree::kNone || tree_.tag(rootfs) != kDirectory)
    return Error{"no `rootfs` directory in the image"};
  return {};
}

}  // namespace rkt::archive::detail
