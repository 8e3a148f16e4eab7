// Registry manifests as the docker fetcher reads them: image manifest v2 schema 2, OCI image
// manifest, manifest lists and OCI indexes (one platform picked), schema 1 (read only), and
// their translation to the one OCI image manifest the image layout holds.
#ifndef RKT_PLUGINS_DOCKER_MANIFEST_HPP
#define RKT_PLUGINS_DOCKER_MANIFEST_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "rkt/support/oci/layout.hpp"

namespace rkt::dockerfetcher {

namespace media {
// Indexes and manifests as support/oci names them; what only a registry serves here.
using oci::kDockerList;
using oci::kDockerManifest;
using oci::kOciIndex;
using oci::kOciManifest;
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kDockerSchema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr const char* kDockerSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
}  // namespace media

/// The Accept header of a manifest request: every kind above.
std::string manifestAccept();

/// "sha256:" + the hex SHA-256 of `data`.
std::string sha256Digest(const std::string& data);

/// The digest of a schema 1 manifest as docker computes it (distribution's schema1 and
/// libtrust): a signed one (`signatures`) over its canonical payload — the body up to the first
/// signature's protected `formatLength`, followed by its `formatTail` (base64url) — an unsigned
/// one over its bytes. Throws rkt::sdk::Error naming `shown` when the signature header is
/// malformed.
std::string schema1Digest(const std::string& body, const std::string& shown);

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;  ///< "" when the architecture has none (or any will do)
  std::string toString() const;
};

/// The platform this rkt runs on, in OCI's words (linux, amd64 / arm64 / arm + v7 …).
Platform hostPlatform();

struct Descriptor {
  std::string mediaType;
  std::string digest;
  int64_t size = -1;  ///< -1: unknown (schema 1)
};

enum class ManifestKind { kIndex, kImage, kSchema1 };

/// What `body` is, from the response's Content-Type and, when that is vague
/// (application/json, missing), from the body's own mediaType / schemaVersion.
ManifestKind manifestKind(const std::string& contentType, const std::string& body);

/// The manifest of `platform` in an index / manifest list: exact os and architecture, and the
/// variant when the platform names one (an entry without a variant matches too). Throws
/// rkt::sdk::Error(RKT_E_NOT_FOUND) listing the platforms the index has.
Descriptor selectPlatform(const std::string& indexBody, const Platform& platform,
                          const std::string& shown);

/// An image manifest (docker v2 schema 2 or OCI) as the layout's OCI manifest: the config
/// and layers with OCI media types (docker's gzip layers, foreign layers and config mapped),
/// annotations kept.
struct OciImage {
  Descriptor config;
  std::vector<Descriptor> layers;
  std::string manifestJson;  ///< the OCI manifest, as written into the layout
  std::string configJson;    ///< the config when it was made here (schema 1), else ""
};
OciImage toOciImage(const std::string& body, const std::string& shown);

/// A schema 1 manifest's layers (fsLayers, bottom first, empty `throwaway` layers included:
/// their digest is the gzip of an empty tar) and the image config made of its topmost
/// history entry, as docker does when it reads such images. The config's rootfs diff_ids
/// need the layers' uncompressed digests: `diffIds`, in layer order.
struct Schema1Image {
  std::vector<Descriptor> layers;
  std::string topV1Compatibility;  ///< the newest history entry (JSON)
};
Schema1Image readSchema1(const std::string& body, const std::string& shown);
/// The OCI image of a schema 1 image once its layers are downloaded and their diff_ids known.
OciImage schema1ToOci(const Schema1Image& image, const std::vector<std::string>& diffIds,
                      const std::vector<int64_t>& sizes);

}  // namespace rkt::dockerfetcher

#endif  // RKT_PLUGINS_DOCKER_MANIFEST_HPP
