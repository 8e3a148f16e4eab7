#include "manifest_info.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "errors.hpp"

namespace rkt::cas {
namespace {

[[noreturn]] void invalid(const std::string& why) {
  throw Error(RKT_E_INVALID, "invalid image manifest: " + why);
}

std::string stringMember(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                         const std::string& where) {
  if (!obj->has(key)) {
    invalid(where + " has no " + named(key));
  }
  Poco::Dynamic::Var v = obj->get(key);
  if (!v.isString()) {
    invalid(named(key) + " of " + where + " is not a string");
  }
  return v.extract<std::string>();
}

}  // namespace

std::optional<std::string> ManifestInfo::label(const std::string& labelName) const {
  for (const auto& l : labels) {
    if (l.name == labelName) {
      return l.value;
    }
  }
  return std::nullopt;
}

ManifestInfo parseManifest(const std::string& json) {
  Poco::JSON::Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(json);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      invalid("not a JSON object");
    }
    root = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    invalid(e.displayText());
  }

  ManifestInfo info;
  try {
    info.name = stringMember(root, "name", "the manifest");
    if (info.name.empty()) {
      invalid("empty `name`");
    }
    if (root->has("labels") && !root->isNull("labels")) {
      Poco::JSON::Array::Ptr labels = root->getArray("labels");
      if (labels.isNull()) {
        invalid("`labels` is not an array");
      }
      for (size_t i = 0; i < labels->size(); ++i) {
        Poco::JSON::Object::Ptr l = labels->getObject(static_cast<unsigned>(i));
        if (l.isNull()) {
          invalid("label " + std::to_string(i) + " is not an object");
        }
        std::string where = "label " + std::to_string(i);
        info.labels.push_back({stringMember(l, "name", where), stringMember(l, "value", where)});
      }
    }
  } catch (const Poco::Exception& e) {
    invalid(e.displayText());
  }
  return info;
}

}  // namespace rkt::cas
