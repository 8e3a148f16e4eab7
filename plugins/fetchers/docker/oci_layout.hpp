// The OCI image layout a fetch produces (image-spec image-layout.md; written with support/oci's
// initLayout and writeIndex): `oci-layout`, `blobs/sha256/<hex>` and `index.json` naming
// exactly one image manifest, with its platform and `org.opencontainers.image.ref.name`, in a
// fresh directory under the fetch's tmp_dir,
// which support/oci's import reads. The directory is removed with the object, whether the
// fetch succeeded or not.
#ifndef RKT_PLUGINS_DOCKER_OCI_LAYOUT_HPP
#define RKT_PLUGINS_DOCKER_OCI_LAYOUT_HPP

#include <string>

#include "manifest.hpp"

namespace rkt::dockerfetcher {

class OciLayout {
 public:
  /// Creates <tmpDir>/docker-layout-XXXXXX with `oci-layout` and `blobs/sha256/`.
  explicit OciLayout(const std::string& tmpDir);
  ~OciLayout();
  OciLayout(const OciLayout&) = delete;
  OciLayout& operator=(const OciLayout&) = delete;

  const std::string& path() const { return path_; }
  /// Keeps the directory: its blobs are the fetch result's layers, the core removes it.
  void release() { path_.clear(); }
  /// Where the blob of `digest` ("sha256:<hex>") lives.
  std::string blobPath(const std::string& digest) const;
  /// Moves a downloaded, verified file (same filesystem) in as the blob of `digest`.
  void adoptBlob(const std::string& digest, const std::string& file);
  /// Writes `data` as its own blob; returns its descriptor's digest.
  std::string writeBlob(const std::string& data);
  /// Writes index.json naming the manifest blob `manifest` (written with writeBlob).
  void writeIndex(const Descriptor& manifest, const Platform& platform, const std::string& refName);

 private:
  std::string path_;
};

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_OCI_LAYOUT_HPP
