#include "renderer.hpp"

#include <rkt/support/archive/extract.hpp>

#include <string_view>
#include <unordered_map>

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

// What upper images provided so far: cleaned archive path -> is a directory.
class Provided {
 public:
  // The "upper wins" decision for one entry; records what it lets through.
  bool admit(const ar::EntryInfo& e, bool top) {
    const std::string& p = e.path;
    if (p == "manifest") {
      return top && paths_.emplace(p, false).second;
    }
    if (!underRootfs(p) || paths_.count(p) != 0) {
      return false;
    }
    for (size_t slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1)) {
      auto it = paths_.find(p.substr(0, slash));
      if (it != paths_.end() && !it->second) {
        return false;  // below something an upper image made a non-directory
      }
    }
    if (e.type == ar::EntryType::HardLink) {
      auto target = paths_.find(e.linkTarget);
      if (target == paths_.end() || target->second) {
        return false;  // its target was filtered out (or is a directory upstairs)
      }
    }
    paths_.emplace(p, e.type == ar::EntryType::Directory);
    // Parents the archive did not list are created as directories by the extraction.
    for (size_t slash = p.find('/'); slash != std::string::npos; slash = p.find('/', slash + 1)) {
      paths_.emplace(p.substr(0, slash), true);
    }
    return true;
  }

 private:
  std::unordered_map<std::string, bool> paths_;
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
      throw Error(code,
                  "cannot render image " + named(img.key) + " (" + named(img.manifest.name) +
                      "): " + err.message,
                  err.sysErrno);
    }
    store.touchLastUsed(img.key);
  }
}

}  // namespace rkt::cas
