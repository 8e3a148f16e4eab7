#include "pod/json_readers.hpp"

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

// The value of the label `name` in an appc labels array ([{"name":..,"value":..}]).
std::string labelValue(const Object::Ptr& obj, const std::string& name) {
  Array::Ptr labels = obj->getArray("labels");
  if (labels.isNull())
    return {};
  for (size_t i = 0; i < labels->size(); ++i) {
    Object::Ptr label = labels->getObject(static_cast<unsigned>(i));
    if (label.isNull())
      throw ShapeError("label is not an object");
    if (stringField(label, "name") == name)
      return stringField(label, "value");
  }
  return {};
}

}  // namespace

Result<std::vector<ManifestApp>> parsePodManifestApps(const std::string& text) {
  const std::string what = "pod manifest";
  try {
    Poco::Dynamic::Var root = parse(text);
    if (root.type() != typeid(Object::Ptr))
      return invalid(what, "not a JSON object");
    Object::Ptr manifest = root.extract<Object::Ptr>();
    std::vector<ManifestApp> apps;
    if (!manifest->has("apps") || manifest->isNull("apps"))
      return apps;
    Array::Ptr list = manifest->getArray("apps");
    if (list.isNull())
      return invalid(what, "`apps` is not an array");
    for (size_t i = 0; i < list->size(); ++i) {
      Object::Ptr app = list->getObject(static_cast<unsigned>(i));
      if (app.isNull())
        return invalid(what, "app is not an object");
      ManifestApp out;
      out.name = stringField(app, "name");
      if (out.name.empty())
        return invalid(what, "app without a name");
      if (Object::Ptr image = app->getObject("image"); !image.isNull()) {
        out.imageName = stringField(image, "name");
        out.imageId = stringField(image, "id");
        out.imageVersion = labelValue(image, "version");
      }
      apps.push_back(std::move(out));
    }
    return apps;
  } catch (const ShapeError& e) {
    return invalid(what, e.what());
  } catch (const Poco::Exception& e) {
    return invalid(what, e.displayText());
  } catch (const std::exception& e) {
    return invalid(what, e.what());
  }
}

Result<ImageNameVersion> parseImageNameVersion(const std::string& text) {
  const std::string what = "image manifest";
  try {
    Poco::Dynamic::Var root = parse(text);
    if (root.type() != typeid(Object::Ptr))
      return invalid(what, "not a JSON object");
    Object::Ptr manifest = root.extract<Object::Ptr>();
    ImageNameVersion out;
    out.name = stringField(manifest, "name");
    if (out.name.empty())
      return invalid(what, "no `name`");
    out.version = labelValue(manifest, "version");
    return out;
  } catch (const ShapeError& e) {
    return invalid(what, e.what());
  } catch (const Poco::Exception& e) {
    return invalid(what, e.displayText());
  } catch (const std::exception& e) {
    return invalid(what, e.what());
  }
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
