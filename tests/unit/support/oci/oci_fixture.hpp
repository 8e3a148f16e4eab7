// Building OCI image layouts in memory for the support/oci tests: blobs by content, manifests,
// configs and indexes as JSON text.
#ifndef RKT_TESTS_UNIT_SUPPORT_OCI_OCI_FIXTURE_HPP
#define RKT_TESTS_UNIT_SUPPORT_OCI_OCI_FIXTURE_HPP

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "rkt/support/archive/digest.hpp"

namespace oci_test {

inline std::string sha256(const std::string& data) {
  rkt::archive::Sha256 sha;
  sha.update(data.data(), data.size());
  std::string out = "sha256:";
  for (std::uint8_t b : sha.digest()) {
    static const char* hex = "0123456789abcdef";
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

inline void writeText(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

/// A layout directory under construction.
class LayoutBuilder {
 public:
  explicit LayoutBuilder(std::string dir) : dir_(std::move(dir)) {
    ::mkdir(dir_.c_str(), 0755);
    ::mkdir((dir_ + "/blobs").c_str(), 0755);
    ::mkdir((dir_ + "/blobs/sha256").c_str(), 0755);
    writeText(dir_ + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  }

  /// Stores a blob; returns its descriptor JSON (without the closing brace: callers append).
  std::string blob(const std::string& data, const std::string& mediaType) {
    std::string digest = sha256(data);
    writeText(dir_ + "/blobs/sha256/" + digest.substr(7), data);
    return R"({"mediaType":")" + mediaType + R"(","digest":")" + digest + R"(","size":)" +
           std::to_string(data.size());
  }

  /// An image manifest of `config` and `layers` (tar bytes); returns its descriptor (open).
  std::string image(const std::string& config, const std::vector<std::string>& layers) {
    std::string manifest = R"({"schemaVersion":2,"config":)" +
                           blob(config, "application/vnd.oci.image.config.v1+json") +
                           R"(},"layers":[)";
    for (size_t i = 0; i < layers.size(); ++i) {
      manifest += (i ? "," : "") + blob(layers[i], "application/vnd.oci.image.layer.v1.tar") + "}";
    }
    manifest += "]}";
    return blob(manifest, "application/vnd.oci.image.manifest.v1+json");
  }

  static std::string named(const std::string& desc, const std::string& ref) {
    return desc + R"(,"annotations":{"org.opencontainers.image.ref.name":")" + ref + R"("}})";
  }
  static std::string forPlatform(const std::string& desc, const std::string& arch) {
    return desc + R"(,"platform":{"os":"linux","architecture":")" + arch + R"("}})";
  }

  void index(const std::vector<std::string>& entries) {
    std::string json = R"({"schemaVersion":2,"manifests":[)";
    for (size_t i = 0; i < entries.size(); ++i) {
      json += (i ? "," : "") + entries[i];
    }
    writeText(dir_ + "/index.json", json + "]}");
  }

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

inline std::string config(const std::string& arch, const std::string& inner) {
  return R"({"os":"linux","architecture":")" + arch + R"(","config":)" + inner + "}";
}

}  // namespace oci_test

#endif  // RKT_TESTS_UNIT_SUPPORT_OCI_OCI_FIXTURE_HPP
