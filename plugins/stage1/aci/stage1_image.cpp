#include "stage1_image.hpp"

#include <cctype>

#include "rkt/schema/image_manifest.hpp"
#include "rkt/sdk/error.hpp"

namespace rkt::aci {
namespace {

constexpr char kPrefix[] = "coreos.com/rkt/stage1/";
constexpr char kInterfaceVersion[] = "interface-version";

}  // namespace

Stage1Image Stage1Image::fromManifest(const std::string& json) {
  Result<schema::ImageManifest> manifest = schema::parseImageManifest(json);
  if (!manifest)
    throw sdk::Error(RKT_E_INVALID, "invalid stage1 image manifest: " + manifest.error().message);
  Stage1Image image;
  const std::string prefix = kPrefix;
  for (const auto& annotation : manifest->annotations) {
    if (annotation.name.compare(0, prefix.size(), prefix) != 0)
      continue;
    const std::string name = annotation.name.substr(prefix.size());
    if (name != kInterfaceVersion) {
      image.entrypoints_[name] = annotation.value;
      continue;
    }
    const std::string& v = annotation.value;
    bool digits = !v.empty() && v.size() < 9;
    for (const char c : v)
      digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits || std::stoi(v) < 1)
      throw sdk::Error(RKT_E_INVALID, "error determining stage1 interface version: invalid " +
                                          prefix + kInterfaceVersion + " \"" + v + "\"");
    image.interfaceVersion_ = std::stoi(v);
  }
  return image;
}

std::optional<std::string> Stage1Image::entrypoint(const std::string& name) const {
  auto it = entrypoints_.find(name);
  if (it == entrypoints_.end() || it->second.empty())
    return std::nullopt;
  return it->second;
}

std::string Stage1Image::requireEntrypoint(const std::string& name) const {
  std::optional<std::string> path = entrypoint(name);
  if (!path)
    throw sdk::Error(RKT_E_NOT_FOUND,
                     "entrypoint \"" + std::string(kPrefix) + name + "\" not found");
  return *path;
}

bool Stage1Image::isMutable() const {
  return entrypoint(kAppRm) && entrypoint(kAppStart) && entrypoint(kAppStop);
}

}  // namespace rkt::aci
