// The entry point fetchers call to turn an OCI image (a layout directory on the host) into the
// ACI rkt stores, as rkt's docker2aci did (squashed, uncompressed layers applied in order).
//
// For the docker fetcher (plugins/fetchers/docker), after choosing the platform manifest:
//
//   const std::string dir = req.tmpDir + "/docker-layout-<unique>";
//   rkt::oci::initLayout(dir);                       // oci-layout, blobs/sha256/
//   // download the manifest, the config and every layer to dir + "/blobs/sha256/<hex>"
//   rkt::oci::Descriptor m;                          // the manifest's descriptor
//   m.mediaType = <manifest Content-Type>;  m.digest = "sha256:…";  m.size = <bytes>;
//   rkt::oci::writeIndex(dir, {m});
//   rkt::oci::ImportContext ctx;
//   ctx.tmpDir = req.tmpDir;
//   ctx.naming = {"registry-1.docker.io/library/busybox", "latest",   // name, version (tag)
//                 "docker://busybox", "registry-1.docker.io",          // originalname, registry
//                 "library/busybox"};                                  // repository
//   auto aci = rkt::oci::importOciLayout(dir, m.digest, ctx);         // ref: the digest
//   if (!aci) throw rkt::sdk::Error(RKT_E_INVALID, aci.error().message);
//   result.path = aci->aciPath;                                        // the core imports it
//
// importOciLayout verifies every blob again (size and SHA-256), so a download that went wrong
// is refused there too. Docker v2 schema 2 manifests and manifest lists are read as their OCI
// twins; schema 1 is not (convert it to a schema 2 manifest + config first).
// Everything it writes is below ctx.tmpDir (which the core removes after the import); on
// error nothing is left there and nothing reaches the store.
#ifndef RKT_SUPPORT_OCI_IMPORT_HPP
#define RKT_SUPPORT_OCI_IMPORT_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rkt/base/result.hpp"
#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/os_arch.hpp"
#include "rkt/sdk/protocol/fetcher.hpp"
#include "rkt/support/oci/convert.hpp"

namespace rkt::oci {

struct ImportContext {
  std::string tmpDir;  ///< the fetch request's tmp_dir: work tree and output go there
  ImageNaming naming;  ///< see convert.hpp
  /// Platform to choose from an index; default: this host (schema::hostOsArch()).
  std::optional<schema::OsArch> platform;
};

struct ImportedImage {
  std::string aciPath;             ///< gzip-compressed ACI below ctx.tmpDir, for FetchResult.path
  schema::ImageManifest manifest;  ///< its manifest (convert.hpp)
  std::string manifestDigest;      ///< the OCI manifest's digest ("sha256:…")
};

/// Opens the layout, chooses the image (`ref`: Layout::resolve), checks every blob against its
/// digest and size, converts the config (convertImage), applies the layers bottom first into a
/// work tree — whiteouts (`.wh.<name>`) remove the lower layers' `<name>`, an opaque marker
/// (`.wh..wh..opq`) empties its directory of lower content, a non-directory replaces a lower
/// directory; hard links may point into lower layers; symlinks, devices, FIFOs, owners, modes,
/// times and the xattrs rkt keeps (security.capability, user.*) are preserved — adds rkt's
/// `/dev` symlinks (stdin, stdout, stderr, fd) where absent, and writes the ACI.
/// Layer entries are extracted by support/archive (extract.hpp): a name climbing out with
/// `..`, an entry below a symlink, a hard link outside the image is a one-line error naming the
/// layer and the entry. Errors: "cannot import OCI image `<originalname>`: …".
Result<ImportedImage> importOciLayout(const std::string& layoutDir, const std::string& ref,
                                      const ImportContext& ctx);

/// One layer of a layered import: its blob as the layout holds it.
struct LayerBlob {
  std::string digest;  ///< "sha256:…" of the blob (compressed as stored)
  std::string path;    ///< the blob file, checked against digest and size
  std::string mediaType;
  std::int64_t size = 0;
};

/// An image as the store keeps it (docs/images.md, "Storage"): the converted manifest and the
/// ordered layer blobs, bottom first.
struct LayeredImage {
  schema::ImageManifest manifest;
  std::string manifestDigest;
  std::vector<LayerBlob> layers;
};

/// As importOciLayout up to the squash: the image chosen, its config converted (index,
/// manifest and config checked against their digests), the layers' media types checked; the
/// blobs stay where the layout has them, for the store, which checks each layer's digest and
/// size before it extracts it (import_layered_image).
Result<LayeredImage> readLayeredImage(const std::string& layoutDir, const std::string& ref,
                                      const ImportContext& ctx);

/// What a fetcher answers for an image kept as layers (ABI 1.7): readLayeredImage's image as
/// the fetch result's `manifest` and `layers`, which the core hands to the store's
/// import_layered_image. The layout must stay where it is until the core has imported it (a
/// layout under the fetch's tmp_dir is the core's to remove).
Status fillLayeredResult(const std::string& layoutDir, const std::string& ref,
                         const ImportContext& ctx, protocol::fetcher::FetchResult& result);

}  // namespace rkt::oci

#endif  // RKT_SUPPORT_OCI_IMPORT_HPP
