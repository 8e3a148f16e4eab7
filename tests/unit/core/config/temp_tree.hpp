// A scratch directory tree for configuration tests, removed when the object goes out of scope.
#ifndef RKT_TESTS_UNIT_CORE_CONFIG_TEMP_TREE_HPP
#define RKT_TESTS_UNIT_CORE_CONFIG_TEMP_TREE_HPP

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "rkt/core/config.hpp"

namespace rkt::test {

class TempTree {
 public:
  TempTree() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/rkt-config.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    root_ = pattern;
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  /// Absolute path of `rel` inside the tree.
  std::string path(const std::string& rel = "") const {
    return rel.empty() ? root_ : root_ + "/" + rel;
  }

  /// Writes `content` to `rel`, creating parent directories; returns the absolute path.
  std::string write(const std::string& rel, const std::string& content) const {
    const std::string p = path(rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p) << content;
    return p;
  }

  std::string mkdir(const std::string& rel) const {
    std::filesystem::create_directories(path(rel));
    return path(rel);
  }

 private:
  std::string root_;
};

/// The error message of a failed load, or "<loaded>" so a wrong success shows in the assertion.
inline std::string loadError(const Result<config::Config>& r) {
  return r ? std::string("<loaded>") : r.error().message;
}

/// True when `haystack` contains `needle`.
inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace rkt::test

#endif  // RKT_TESTS_UNIT_CORE_CONFIG_TEMP_TREE_HPP
