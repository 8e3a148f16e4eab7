#include "json_util.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace rkt::oci::detail {

Result<Poco::JSON::Object::Ptr> parseObject(const std::string& json, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(json);
    if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Error{what + " is not a JSON object"};
    }
    return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Error{what + " is not valid JSON: " + e.displayText()};
  }
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key)) {
    return {};
  }
  Poco::Dynamic::Var v = o->get(key);
  return v.isString() ? v.extract<std::string>() : std::string();
}

Poco::JSON::Object::Ptr obj(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->get(key).type() != typeid(Poco::JSON::Object::Ptr)) {
    return {};
  }
  return o->getObject(key);
}

}  // namespace rkt::oci::detail
