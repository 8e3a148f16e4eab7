#include "renderer.hpp"

#include <rkt/support/archive/extract.hpp>
#include <rkt/support/archive/path_tree.hpp>

#include <cstdint>
#include <string_view>

#include "archive_helper.hpp"
#include "cas_store.hpp"
#include "errors.hpp"

namespace rkt::cas {
namespace {

namespace ar = rkt::archive;

constexpr std::string_view kRootfs = "rootfs";

bool underRootfs(std::string_view path) {
  return path == kRootfs ||
         (path.size() > kRootfs.size() && path.substr(0, kRootfs.size()) == kRootfs &&
          path[kRootfs.size()] == '/');
}

// What upper images provided so far, as a tree of path components: each path costs its last
// component only, so memory stays linear in the names whatever their depth.
class Provided {
 public:
  // The "upper wins" decision for one entry; records what it lets through. Each image passed
  // the image rules (ExtractOptions::imageRules) before its entries get here.
  bool admit(const ar::EntryInfo& e, bool top) {
    if (e.path == "manifest") {
      bool created = false;
      tree_.add(ar::PathTree::kRoot, e.path, kNonDirectory, &created);
      return top && created;
    }
    if (!underRootfs(e.path) || !isNew(e.path)) {
      return false;
    }
    if (e.type == ar::EntryType::HardLink) {
      ar::PathTree::Id target = tree_.findPath(e.linkTarget);
      if (target == ar::PathTree::kNone || tree_.tag(target) == kDirectory) {
        return false;  // its target was filtered out (or is a directory upstairs)
      }
    }
    // Parents the archive did not list are created as directories by the extraction.
    ar::PathTree::Id node = ar::PathTree::kRoot;
    ar::forEachComponent(e.path, [&](std::string_view c, bool last) {
      const bool dir = !last || e.type == ar::EntryType::Directory;
      node = tree_.add(node, c, dir ? kDirectory : kNonDirectory);
      return true;
    });
    return true;
  }

 private:
  enum Tag : std::uint8_t { kDirectory, kNonDirectory };

  // Neither provided already nor below something an upper image made a non-directory.
  bool isNew(std::string_view path) const {
    bool fresh = false;
    ar::PathTree::Id node = ar::PathTree::kRoot;
    ar::forEachComponent(path, [&](std::string_view c, bool last) {
      const ar::PathTree::Id child = tree_.find(node, c);
      fresh = child == ar::PathTree::kNone;
      node = child;
      return !fresh && !last && tree_.tag(child) == kDirectory;
    });
    return fresh;
  }

  ar::PathTree tree_;
};

ar::PathWhitelist whitelistOf(const schema::ImageManifest& m, bool filterDirectories) {
  ar::PathWhitelist w;
  w.root = std::string(kRootfs);
  w.paths.insert(m.pathWhitelist.begin(), m.pathWhitelist.end());
  w.filterDirectories = filterDirectories;
  return w;
}

}  // namespace

void renderImages(CasStore& store, const std::vector<DepImage>& deps, const std::string& dir,
                  ar::FileDigests* digests) {
  Provided provided;
  for (size_t i = 0; i < deps.size(); ++i) {
    const DepImage& img = deps[i];
    const bool top = i == 0;
    ar::ExtractOptions options;
    if (!top) {
      options.prefix = std::string(kRootfs);
    }
    if (!img.manifest.pathWhitelist.empty()) {
      options.whitelists.push_back(whitelistOf(img.manifest, false));
    }
    for (size_t a = img.parent; a != DepImage::kNoParent; a = deps[a].parent) {
      if (!deps[a].manifest.pathWhitelist.empty()) {
        options.whitelists.push_back(whitelistOf(deps[a].manifest, true));
      }
    }
    options.filter = [&provided, top](const ar::EntryInfo& e) { return provided.admit(e, top); };
    // Upper wins is decided by the filter; an entry that still meets an existing one is a bug
    // or a hostile archive, never something to overwrite.
    options.onExisting = ar::OnExisting::Fail;
    options.fileDigests = digests;
    // The rules import applied (and `rkt image extract` applies): an image stored before they
    // existed is refused here, naming the entry, never rendered in part.
    options.imageRules = ar::ImageLimits{};
    options.context =
        "cannot render image " + named(img.key) + " (" + named(img.manifest.name) + ")";

    FileLock lock = store.lockImage(img.key, LockMode::kShared);
    // Every blob is hashed again as it is read (rkt's check), except one this store instance
    // has just written and hashed itself and that nothing has touched since (render-on-fetch).
    if (!store.isOwnUnchangedBlob(img.key)) {
      options.expectedKey = img.key;
    }
    std::string blob = store.blobPath(img.key);
    auto extracted = archiveHelper().extractTar(blob, dir, options);
    if (!extracted) {
      const auto& err = extracted.error();
      rkt_status code = err.sysErrno == 0 ? RKT_E_INVALID : RKT_E_IO;
      throw Error(code, err.message, err.sysErrno);
    }
    store.touchLastUsed(img.key);
  }
}

}  // namespace rkt::cas
