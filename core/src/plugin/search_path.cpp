#include "rkt/core/plugin/search_path.hpp"

#include <cstdlib>
#include <filesystem>

#include "util/executable_dir.hpp"

namespace fs = std::filesystem;

namespace rkt::plugin {
namespace {

void addDir(std::vector<std::string>& out, const fs::path& dir) {
  if (dir.empty()) {
    return;
  }
  std::error_code ec;
  fs::path abs = fs::absolute(dir, ec);
  if (ec) {
    return;
  }
  std::string normal = abs.lexically_normal().string();
  // "/a/b/" and "/a/b" are the same directory.
  while (normal.size() > 1 && normal.back() == '/') {
    normal.pop_back();
  }
  for (const auto& existing : out) {
    if (existing == normal) {
      return;
    }
  }
  out.push_back(normal);
}

}  // namespace

std::vector<std::string> buildSearchPath(const SearchPathSources& sources) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  const std::string& env = sources.envPath;
  while (start <= env.size()) {
    auto colon = env.find(':', start);
    if (colon == std::string::npos) {
      colon = env.size();
    }
    addDir(out, env.substr(start, colon - start));
    start = colon + 1;
  }
  addDir(out, sources.configDir);
  if (!sources.executableDir.empty()) {
    addDir(out, fs::path(sources.executableDir) / ".." / RKT_PLUGIN_SUBDIR);
  }
  return out;
}

std::vector<std::string> defaultSearchPath(const std::string& configPluginDir) {
  SearchPathSources sources;
  if (const char* env = std::getenv("RKT_PLUGIN_PATH")) {
    sources.envPath = env;
  }
  sources.configDir = configPluginDir;
  sources.executableDir = util::executableDir();
  return buildSearchPath(sources);
}

}  // namespace rkt::plugin
