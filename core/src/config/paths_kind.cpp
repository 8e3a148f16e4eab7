// `paths` (paths.d): data, stage1-images and, as our extension, plugins.
#include "config/fields.hpp"
#include "config/kinds.hpp"

namespace rkt::config::detail {

namespace {

// Reads one directory field: absolute when set, and set by at most one file of the directory.
Status readDirectory(const Poco::JSON::Object& object, const std::string& key,
                     const std::string& what, const std::string& file, std::string& value,
                     std::string& definedIn) {
  auto path = stringField(object, key);
  if (!path) {
    return path.error();
  }
  if (path->empty()) {
    return {};
  }
  if ((*path)[0] != '/') {
    return Error{what + " " + goQuote(*path) + " must be an absolute path"};
  }
  if (!definedIn.empty()) {
    return Error{what + " is already specified in " + goQuote(definedIn)};
  }
  value = *path;
  definedIn = file;
  return {};
}

}  // namespace

Status parsePathsV1(const Poco::JSON::Object& object, const std::string& file, DirState& state) {
  Paths& paths = state.config.paths;
  if (auto s = readDirectory(object, "data", "data directory", file, paths.data, state.dataFile);
      !s) {
    return s;
  }
  if (auto s = readDirectory(object, "stage1-images", "stage1 images directory", file,
                             paths.stage1Images, state.stage1ImagesFile);
      !s) {
    return s;
  }
  return readDirectory(object, "plugins", "plugins directory", file, paths.plugins,
                       state.pluginsFile);
}

}  // namespace rkt::config::detail
