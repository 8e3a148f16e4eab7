#include "json_fields.hpp"

#include <sstream>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

namespace rkt::image::json {
namespace {

Error badField(const std::string& what, const std::string& field, const char* type) {
  return Error{"malformed " + what + ": `" + field + "` is not " + type};
}

bool absent(const Poco::JSON::Object::Ptr& o, const std::string& field) {
  return o.isNull() || !o->has(field) || o->isNull(field);
}

}  // namespace

Result<Poco::JSON::Object::Ptr> parseObject(const std::string& text, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
      return v.extract<Poco::JSON::Object::Ptr>();
    }
    return Error{"malformed " + what + ": not a JSON object"};
  } catch (const Poco::Exception& e) {
    return Error{"malformed " + what + ": " + e.displayText()};
  }
}

Result<Poco::JSON::Array::Ptr> parseArray(const std::string& text, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
      return v.extract<Poco::JSON::Array::Ptr>();
    }
    return Error{"malformed " + what + ": not a JSON array"};
  } catch (const Poco::Exception& e) {
    return Error{"malformed " + what + ": " + e.displayText()};
  }
}

Result<std::string> str(const Poco::JSON::Object::Ptr& o, const std::string& field,
                        const std::string& what) {
  if (absent(o, field)) {
    return std::string();
  }
  Poco::Dynamic::Var v = o->get(field);
  if (!v.isString()) {
    return badField(what, field, "a string");
  }
  return v.extract<std::string>();
}

Result<std::int64_t> int64(const Poco::JSON::Object::Ptr& o, const std::string& field,
                           const std::string& what) {
  if (absent(o, field)) {
    return std::int64_t{0};
  }
  Poco::Dynamic::Var v = o->get(field);
  if (!v.isInteger()) {
    return badField(what, field, "an integer");
  }
  try {
    return v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return badField(what, field, "a 64-bit integer");
  }
}

Result<bool> boolean(const Poco::JSON::Object::Ptr& o, const std::string& field,
                     const std::string& what) {
  if (absent(o, field)) {
    return false;
  }
  Poco::Dynamic::Var v = o->get(field);
  if (!v.isBoolean()) {
    return badField(what, field, "a boolean");
  }
  return v.extract<bool>();
}

Result<Poco::JSON::Object::Ptr> object(const Poco::JSON::Object::Ptr& o, const std::string& field,
                                       const std::string& what) {
  if (absent(o, field)) {
    return Poco::JSON::Object::Ptr();
  }
  Poco::JSON::Object::Ptr nested = o->getObject(field);
  if (nested.isNull()) {
    return badField(what, field, "an object");
  }
  return nested;
}

std::string stringify(const Poco::JSON::Object& o) {
  std::ostringstream s;
  o.stringify(s);
  return s.str();
}

std::string stringify(const Poco::JSON::Array& a) {
  std::ostringstream s;
  a.stringify(s);
  return s.str();
}

}  // namespace rkt::image::json
