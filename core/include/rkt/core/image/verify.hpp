// Signature verification of fetched images (rkt-notes §4.5): the core checks what a fetcher
// downloaded before the store sees it, so a refused image never enters the store.
#ifndef RKT_CORE_IMAGE_VERIFY_HPP
#define RKT_CORE_IMAGE_VERIFY_HPP

#include <functional>
#include <string>

#include "rkt/core/result.hpp"
#include "rkt/core/trust/keystore.hpp"
#include "rkt/schema/image_manifest.hpp"

namespace rkt::image {

/// The image manifest of the ACI file at `path` (gzip, bzip2, xz or plain tar), read without
/// extracting anything. Errors name the file as `name` (e.g. the URL a download came from), or
/// as `path` when `name` is empty.
Result<schema::ImageManifest> readAciManifest(const std::string& path,
                                              const std::string& name = "");

/// Checks that `manifest` is what a fetch by name asked for: same name, and every requested
/// label present with the same value (rkt's messages).
Status validateNameAndLabels(const schema::ImageManifest& manifest, const std::string& name,
                             const schema::Labels& labels);

/// Verifies the detached signature in `signaturePath` over the image file at `imagePath`
/// against `keystore`'s keys for the image's manifest name. On success logs rkt's
/// "signature verified:" with the signer's identities through `log`; an unknown signer also
/// logs the `rkt trust --prefix` hint. Errors: `image "<name>" verification failed: …`, or
/// `error opening signature file: …`.
Result<trust::PublicKey> verifyImageSignature(const trust::Keystore& keystore,
                                              const schema::ImageManifest& manifest,
                                              const std::string& imagePath,
                                              const std::string& signaturePath,
                                              const std::function<void(const std::string&)>& log);

}  // namespace rkt::image

#endif  // RKT_CORE_IMAGE_VERIFY_HPP
