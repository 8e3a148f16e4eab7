// Helpers shared by the cas store tests: a scratch directory, real image keys, images.
#ifndef RKT_PLUGINS_STORES_CAS_TESTS_TEST_UTIL_HPP
#define RKT_PLUGINS_STORES_CAS_TESTS_TEST_UTIL_HPP

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cas_store.hpp"

namespace rkt::cas::test {

/// A fresh directory under /tmp, removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    char pattern[] = "/tmp/rkt-cas-test-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string cas() const { return path_ + "/data/cas"; }

 private:
  std::string path_;
};

/// The image ID rkt gives `content`: "sha512-" + first 64 hex digits of its SHA-512.
inline std::string keyOf(const std::string& content) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(content.data(), content.size(), md, &len, EVP_sha512(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out = "sha512-";
  for (unsigned i = 0; i < 32; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

/// An image manifest with the given name and labels.
inline std::string manifestJson(const std::string& name, const Labels& labels = {}) {
  std::string json = R"({"acKind":"ImageManifest","acVersion":"0.8.11","name":")" + name + "\"";
  json += R"(,"labels":[)";
  for (size_t i = 0; i < labels.size(); ++i) {
    json += (i ? "," : "") + std::string(R"({"name":")") + labels[i].name + R"(","value":")" +
            labels[i].value + R"("})";
  }
  return json + "]}";
}

inline void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out.flush()) {
    throw std::runtime_error("cannot write " + path);
  }
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

/// Mode bits (07777) of `path`, or -1.
inline int modeOf(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

/// Publishes `content` (standing in for an uncompressed ACI tar) the way an importer would:
/// written to a store temp file, then published. Returns its key.
inline std::string publishContent(CasStore& store, const std::string& content,
                                  const std::string& manifest, bool latest = false) {
  std::string key = keyOf(content);
  TempFile tmp = store.createTempFile("test");
  writeFile(tmp.path(), content);
  store.publish(tmp.path(), key, static_cast<int64_t>(content.size()), manifest, latest);
  return key;
}

/// Names of the entries of `dir` (no . and ..), empty when it does not exist.
inline std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    out.push_back(e.path().filename().string());
  }
  return out;
}

}  // namespace rkt::cas::test

#endif  // RKT_PLUGINS_STORES_CAS_TESTS_TEST_UTIL_HPP
