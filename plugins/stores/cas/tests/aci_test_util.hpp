// Helpers for the tree store and plugin tests: small ACIs crafted with the archive tests'
// TarBuilder (manifest + rootfs entries), imported into a scratch store.
#ifndef RKT_PLUGINS_STORES_CAS_TESTS_ACI_TEST_UTIL_HPP
#define RKT_PLUGINS_STORES_CAS_TESTS_ACI_TEST_UTIL_HPP

#include <functional>
#include <string>
#include <vector>

#include "cas_test_util.hpp"
#include "image_import.hpp"
#include "support/archive/archive_fixture.hpp"

namespace rkt::cas::test {

using rkt::archive::testing::TarBuilder;

/// A dependency of a crafted image: by name (+ version label), or by image ID.
struct Dep {
  std::string name;
  std::string version;  ///< "" = no labels
  std::string imageId;  ///< "" = resolve by name and labels
};

/// An appc image manifest with `name`, version label, dependencies and pathWhitelist.
inline std::string aciManifest(const std::string& name, const std::string& version = "1.0.0",
                               const std::vector<Dep>& deps = {},
                               const std::vector<std::string>& whitelist = {}) {
  std::string m = R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":")" + name +
                  R"(","labels":[{"name":"version","value":")" + version +
                  R"("},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}])";
  if (!deps.empty()) {
    m += R"(,"dependencies":[)";
    for (size_t i = 0; i < deps.size(); ++i) {
      m += (i ? "," : "") + std::string(R"({"imageName":")") + deps[i].name + "\"";
      if (!deps[i].imageId.empty()) {
        m += R"(,"imageID":")" + deps[i].imageId + "\"";
      }
      if (!deps[i].version.empty()) {
        m += R"(,"labels":[{"name":"version","value":")" + deps[i].version + R"("}])";
      }
      m += "}";
    }
    m += "]";
  }
  if (!whitelist.empty()) {
    m += R"(,"pathWhitelist":[)";
    for (size_t i = 0; i < whitelist.size(); ++i) {
      m += (i ? ",\"" : "\"") + whitelist[i] + "\"";
    }
    m += "]";
  }
  return m + "}";
}

/// An uncompressed ACI: `manifest`, the `rootfs` directory, then what `fill` adds (names are
/// relative to rootfs, e.g. "etc/x").
class AciBuilder {
 public:
  explicit AciBuilder(const std::string& manifest) {
    tar_.file("manifest", manifest);
    tar_.dir("rootfs");
  }
  AciBuilder& file(const std::string& path, const std::string& data, unsigned mode = 0) {
    tar_.file("rootfs/" + path, data, rkt::archive::testing::withMode(mode));
    return *this;
  }
  AciBuilder& dir(const std::string& path, unsigned mode = 0) {
    tar_.dir("rootfs/" + path, rkt::archive::testing::withMode(mode));
    return *this;
  }
  AciBuilder& symlink(const std::string& path, const std::string& target) {
    tar_.symlink("rootfs/" + path, target);
    return *this;
  }
  AciBuilder& hardlink(const std::string& path, const std::string& target) {
    tar_.hardlink("rootfs/" + path, "rootfs/" + target);
    return *this;
  }
  std::string finish() { return tar_.finish(); }

 private:
  TarBuilder tar_;
};

/// Writes `tar` to <dir>/<name>.aci and imports it; returns the image key.
inline std::string importTar(CasStore& store, const std::string& dir, const std::string& name,
                             const std::string& tar) {
  std::string path = dir + "/" + name + ".aci";
  writeFile(path, tar);
  return importAciFile(store, path, false).key;
}

/// Content of a file, or "<absent>".
inline std::string contentOr(const std::string& path) {
  return exists(path) ? slurp(path) : std::string("<absent>");
}

}  // namespace rkt::cas::test

#endif  // RKT_PLUGINS_STORES_CAS_TESTS_ACI_TEST_UTIL_HPP
