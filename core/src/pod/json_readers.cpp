#include "pod/json_readers.hpp"

#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "rkt/schema/types.hpp"

#include <cerrno>

#include "rkt/core/plugin/protocol.hpp"

namespace rkt::pod::json {

Result<std::vector<ManifestApp>> parsePodManifestApps(const std::string& text) {
  Result<schema::PodManifest> manifest = schema::parsePodManifest(text);
  if (!manifest)
    return manifest.error();
  std::vector<ManifestApp> apps;
  for (const schema::RuntimeApp& app : manifest->apps) {
    ManifestApp out;
    out.name = app.name;
    out.imageName = app.image.name;
    out.imageId = app.image.id;
    out.imageVersion =
        schema::findValue(app.image.labels, schema::kLabelVersion).value_or(std::string());
    apps.push_back(std::move(out));
  }
  return apps;
}

Result<ImageNameVersion> parseImageNameVersion(const std::string& text) {
  Result<schema::ImageManifest> manifest = schema::parseImageManifest(text);
  if (!manifest)
    return manifest.error();
  ImageNameVersion out;
  out.name = manifest->name;
  out.version = schema::findValue(manifest->labels, schema::kLabelVersion).value_or(std::string());
  return out;
}

Result<std::vector<NetInfo>> parseNetInfo(const std::string& text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  if (begin != std::string::npos && text.compare(begin, end + 1 - begin, "null") == 0) {
    return std::vector<NetInfo>();  // Go's encoding of a nil slice
  }
  Result<protocol::stage1::NetInfoList> list =
      plugin::decodeMessage<protocol::stage1::NetInfoList>(text);
  if (!list)
    return Error{list.error().message, EINVAL};
  return std::move(list->items);
}

}  // namespace rkt::pod::json
