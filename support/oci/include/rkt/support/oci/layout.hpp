// OCI image layouts (image-spec v1: `oci-layout`, `index.json`, `blobs/<alg>/<hex>`): reading
// the index, choosing one image by reference and platform, and reading blobs only after their
// digest and size were checked. Nothing here writes; see import.hpp for the conversion.
#ifndef RKT_SUPPORT_OCI_LAYOUT_HPP
#define RKT_SUPPORT_OCI_LAYOUT_HPP

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/os_arch.hpp"

namespace rkt::oci {

/// The media types this library reads (OCI and their docker v2 schema 2 twins).
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
/// The annotation naming an image in an index (`oci:PATH:REF`'s REF).
inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
/// Manifests, indexes and configs larger than this are refused (real ones are kilobytes).
inline constexpr std::int64_t kMaxJsonBlob = 8 << 20;

/// An OCI content descriptor.
struct Descriptor {
  std::string mediaType;
  std::string digest;  ///< "sha256:<64 lowercase hex>", checked when read
  std::int64_t size = 0;
  std::map<std::string, std::string> annotations;
  std::string os, arch, variant;  ///< platform, for entries of an index
};

/// One image chosen from a layout: its manifest, config and layers (bottom first).
struct ResolvedImage {
  Descriptor manifest;     ///< the image manifest's descriptor (its digest is the image's)
  std::string refName;     ///< the `org.opencontainers.image.ref.name` it was found under
  std::string configJson;  ///< the image config, digest verified
  std::string configDigest;
  std::vector<Descriptor> layers;
};

class Layout {
 public:
  /// Opens the layout at `dir`: `oci-layout` must say imageLayoutVersion 1.0.0 and
  /// `index.json` must be an index. Errors name the directory:
  /// "cannot read OCI layout `/x`: no `index.json`: no such file or directory".
  static Result<Layout> open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  const std::vector<Descriptor>& manifests() const { return manifests_; }

  /// The file of a blob; refuses a malformed digest (so no path can be built from one).
  Result<std::string> blobPath(const std::string& digest) const;
  /// Checks that a blob exists and has the descriptor's size and digest (read once, streamed).
  Status verifyBlob(const Descriptor& d) const;
  /// Reads a JSON blob (at most kMaxJsonBlob bytes) after checking its size and digest.
  Result<std::string> readJsonBlob(const Descriptor& d) const;

  /// Chooses the image: `ref` empty → the index's only image (several: an error listing their
  /// names); otherwise the entry whose ref.name annotation is `ref`, or whose digest is `ref`
  /// ("sha256:…"). An index (nested or several entries of that name) is narrowed to `platform`
  /// (docker os/arch/variant mapped to appc names). Errors say what the layout offers.
  Result<ResolvedImage> resolve(const std::string& ref, const schema::OsArch& platform) const;

 private:
  std::string dir_;
  std::vector<Descriptor> manifests_;
};

/// Checks that the file at `path` is a regular file of the descriptor's size and SHA-256
/// (read once, streamed); errors call it `what` ("… does not match its digest").
Status verifyFile(const std::string& path, const Descriptor& d, const std::string& what);

/// For a fetcher that downloads an image (the docker fetcher): creates `dir` (absent or empty)
/// as a layout — `oci-layout`, `blobs/sha256/` — to download blobs into, as
/// `blobs/sha256/<hex>` (blobPath of an opened layout names the same file).
Status initLayout(const std::string& dir);
/// Writes `index.json` listing `manifests` (mediaType, digest, size, annotations, platform),
/// replacing an earlier one; then Layout::open and importOciLayout can read the layout.
Status writeIndex(const std::string& dir, const std::vector<Descriptor>& manifests);

/// Parses an image index or manifest list's `manifests` array.
Result<std::vector<Descriptor>> parseIndex(const std::string& json, const std::string& what);

}  // namespace rkt::oci

#endif  // RKT_SUPPORT_OCI_LAYOUT_HPP
