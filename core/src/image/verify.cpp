#include "rkt/core/image/verify.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "rkt/core/trust/pubkey.hpp"

namespace rkt::image {
namespace {

constexpr la_int64_t kMaxManifest = 64 << 20;

std::string cleanName(std::string name) {
  while (name.rfind("./", 0) == 0) {
    name.erase(0, 2);
  }
  while (!name.empty() && name.back() == '/') {
    name.pop_back();
  }
  return name;
}

}  // namespace

Result<schema::ImageManifest> readAciManifest(const std::string& path) {
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(),
                                                              archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return Error{"cannot read image `" + path + "`: " + archive_error_string(a.get())};
  }
  archive_entry* entry = nullptr;
  int r = ARCHIVE_OK;
  while ((r = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    if (cleanName(archive_entry_pathname(entry)) != "manifest") {
      continue;
    }
    if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_size(entry) > kMaxManifest) {
      return Error{"cannot read image `" + path + "`: invalid manifest entry"};
    }
    std::string text(static_cast<size_t>(archive_entry_size(entry)), '\0');
    la_ssize_t n = archive_read_data(a.get(), text.data(), text.size());
    if (n < 0 || static_cast<size_t>(n) != text.size()) {
      return Error{"cannot read image `" + path + "`: truncated manifest"};
    }
    auto manifest = schema::parseImageManifest(text);
    if (!manifest) {
      return manifest.error().wrap("cannot read image `" + path + "`");
    }
    return manifest;
  }
  if (r == ARCHIVE_EOF) {
    return Error{"cannot read image `" + path + "`: missing image manifest"};
  }
  return Error{"cannot read image `" + path + "`: " + archive_error_string(a.get())};
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
  std::ifstream in(signaturePath, std::ios::binary);
  if (!in) {
    return sysError("error opening signature file: open " + signaturePath);
  }
  std::ostringstream sig;
  sig << in.rdbuf();
  auto signer = keystore.checkSignature(manifest.name, imagePath, sig.str());
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
