// The JSON documents the pod library reads (internal): the manifests through the appc schema
// library (so a manifest `rkt run` would refuse is reported, as rkt does), net-info.json through
// the stage1 protocol codec. Only the fields `rkt list`/`status` show leave this file.
#ifndef RKT_CORE_SRC_POD_JSON_READERS_HPP
#define RKT_CORE_SRC_POD_JSON_READERS_HPP

#include <string>
#include <vector>

#include "rkt/core/pod/info.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod::json {

/// apps[].name, apps[].image.{name,id} and the image "version" label of a pod manifest.
Result<std::vector<ManifestApp>> parsePodManifestApps(const std::string& text);

struct ImageNameVersion {
  std::string name;
  std::string version;  ///< empty without a "version" label
};
/// name and "version" label of an image manifest.
Result<ImageNameVersion> parseImageNameVersion(const std::string& text);

/// net-info.json: an array of NetInfo objects (`null`: none). Errors carry EINVAL.
Result<std::vector<NetInfo>> parseNetInfo(const std::string& text);

}  // namespace rkt::pod::json

#endif  // RKT_CORE_SRC_POD_JSON_READERS_HPP
