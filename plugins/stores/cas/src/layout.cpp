#include "layout.hpp"

#include <string_view>

#include "fs_util.hpp"
#include "image_key.hpp"

namespace rkt::cas {
namespace {

// diskv's transform in rkt: "<algorithm>/<first two hex digits>" below the store directory.
std::string shardedPath(const std::string& base, const std::string& key) {
  return base + "/sha512/" + key.substr(kKeyPrefix.size(), 2) + "/" + key;
}

}  // namespace

CasLayout::CasLayout(std::string casDir) : root_(std::move(casDir)) {
  while (root_.size() > 1 && root_.back() == '/') {
    root_.pop_back();
  }
}

void CasLayout::create() const {
  ensureDir(parentDir(root_), kDataDirMode);
  ensureDir(root_, kCasDirMode);
  for (const auto& dir : {blobDir(), manifestDir()}) {
    ensureDir(dir, kStoreDirMode);
    ensureDir(dir + "/sha512", kStoreDirMode);
  }
  for (const auto& dir : {imageLockDir(), tmpDir(), dbDir()}) {
    ensureDir(dir, kStoreDirMode);
  }
  for (const auto& dir : {treeDir(), treeLockDir(), layersDir(), layersDir() + "/sha256"}) {
    ensureDir(dir, kTreeDirMode);
  }
}

bool CasLayout::isLayerDigest(const std::string& digest) {
  static constexpr std::string_view kPrefix = "sha256:";
  if (digest.size() != kPrefix.size() + 64 || digest.compare(0, kPrefix.size(), kPrefix) != 0) {
    return false;
  }
  for (size_t i = kPrefix.size(); i < digest.size(); ++i) {
    const char c = digest[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string CasLayout::layerPath(const std::string& digest) const {
  return layersDir() + "/sha256/" + digest.substr(7);
}

std::string CasLayout::blobPath(const std::string& key) const {
  return shardedPath(blobDir(), key);
}

std::string CasLayout::manifestPath(const std::string& key) const {
  return shardedPath(manifestDir(), key);
}

}  // namespace rkt::cas
