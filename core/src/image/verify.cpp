#include "rkt/core/image/verify.hpp"

#include <memory>

#include "rkt/core/trust/pubkey.hpp"
#include "util/archive_module.hpp"
#include "util/regular_file.hpp"

namespace rkt::image {

// The archive is read by rkt-archive.so (loaded here, on first use); the manifest is parsed here.
Result<schema::ImageManifest> readAciManifest(const std::string& path, const std::string& name) {
  const std::string& shown = name.empty() ? path : name;
  Result<const util::ArchiveModule*> module = util::archiveModule();
  if (!module)
    return module.error().wrap("cannot read image `" + shown + "`");
  Result<std::string> text = (*module)->readManifest(path, shown);
  if (!text)
    return text.error();
  auto manifest = schema::parseImageManifest(*text);
  if (!manifest) {
    return manifest.error().wrap("cannot read image `" + shown + "`");
  }
  return manifest;
}

Status validateNameAndLabels(const schema::ImageManifest& manifest, const std::string& name,
                             const schema::Labels& labels) {
  if (manifest.name != name) {
    return Error{"error when reading the app name: " + goQuote(name) + " expected but " +
                 goQuote(manifest.name) + " found"};
  }
  for (const auto& label : labels) {
    auto actual = manifest.label(label.name);
    if (!actual) {
      return Error{"requested label " + goQuote(label.name) +
                   " not provided by the image manifest"};
    }
    if (*actual != label.value) {
      return Error{"requested value for label " + goQuote(label.name) + ": " +
                   goQuote(label.value) +
                   " differs from fetched aci label value: " + goQuote(*actual)};
    }
  }
  return {};
}

Result<trust::PublicKey> verifyImageSignature(const trust::Keystore& keystore,
                                              const schema::ImageManifest& manifest,
                                              const std::string& imagePath,
                                              const std::string& signaturePath,
                                              const std::function<void(const std::string&)>& log) {
  Result<std::string> sig = util::readRegularFile(signaturePath);
  if (!sig) {
    return sig.error().wrap("error opening signature file: open " + signaturePath);
  }
  auto signer = keystore.checkSignature(manifest.name, imagePath, *sig);
  if (!signer) {
    if (signer.error().message == "openpgp: signature made by unknown entity" && log) {
      log("If you expected the signing key to change, try running:");
      log("    rkt trust --prefix " + goQuote(manifest.name));
    }
    return signer.error().wrap("image " + goQuote(manifest.name) + " verification failed");
  }
  if (log) {
    std::string lines = "signature verified:";
    for (const std::string& uid : signer->userIds) {
      lines += "\n  " + uid;
    }
    log(lines);
  }
  return signer;
}

}  // namespace rkt::image
