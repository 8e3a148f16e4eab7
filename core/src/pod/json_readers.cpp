#include "pod/json_readers.hpp"

#include "rkt/schema/image_manifest.hpp"
#include "rkt/schema/pod_manifest.hpp"
#include "rkt/schema/types.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cerrno>
#include <stdexcept>

namespace rkt::pod::json {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// A document that is valid JSON but not the expected shape.
struct ShapeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Error invalid(const std::string& what, const std::string& why) {
  return Error{"invalid " + what + ": " + why, EINVAL};
}

Poco::Dynamic::Var parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text);
}

// A string member, or "" when absent or null; anything else is a schema error.
std::string stringField(const Object::Ptr& obj, const std::string& key) {
  if (!obj->has(key) || obj->isNull(key))
    return {};
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isString())
    throw ShapeError("`" + key + "` is not a string");
  return v.convert<std::string>();
}

}  // namespace

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
  const std::string what = "net-info.json";
  try {
    Poco::Dynamic::Var root = parse(text);
    std::vector<NetInfo> nets;
    if (root.isEmpty())
      return nets;  // "null"
    if (root.type() != typeid(Array::Ptr))
      return invalid(what, "not a JSON array");
    Array::Ptr list = root.extract<Array::Ptr>();
    for (size_t i = 0; i < list->size(); ++i) {
      Object::Ptr o = list->getObject(static_cast<unsigned>(i));
      if (o.isNull())
        return invalid(what, "entry is not an object");
      NetInfo n;
      n.netName = stringField(o, "netName");
      n.netConf = stringField(o, "netConf");
      n.pluginPath = stringField(o, "pluginPath");
      n.ifName = stringField(o, "ifName");
      n.ip = stringField(o, "ip");
      n.args = stringField(o, "args");
      n.mask = stringField(o, "mask");
      nets.push_back(std::move(n));
    }
    return nets;
  } catch (const ShapeError& e) {
    return invalid(what, e.what());
  } catch (const Poco::Exception& e) {
    return invalid(what, e.displayText());
  } catch (const std::exception& e) {
    return invalid(what, e.what());
  }
}

}  // namespace rkt::pod::json
