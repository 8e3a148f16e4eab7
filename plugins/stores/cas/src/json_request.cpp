#include "json_request.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "errors.hpp"

namespace rkt::cas {

JsonRequest::JsonRequest(const std::string& json, std::string op) : op_(std::move(op)) {
  if (json.find_first_not_of(" \t\r\n") == std::string::npos) {
    obj_ = newObject();
    return;
  }
  Poco::Dynamic::Var v;
  try {
    v = Poco::JSON::Parser().parse(json);
  } catch (const Poco::Exception& e) {
    invalid("not JSON: " + e.message());
  }
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) {
    invalid("not a JSON object");
  }
  obj_ = v.extract<Poco::JSON::Object::Ptr>();
}

void JsonRequest::invalid(const std::string& why) const {
  throw Error(RKT_E_INVALID, "invalid " + named(op_) + " request: " + why);
}

bool JsonRequest::has(const std::string& key) const {
  return obj_->has(key) && !obj_->isNull(key);
}

std::string JsonRequest::string(const std::string& key) const {
  if (!has(key)) {
    invalid("missing " + named(key));
  }
  std::string s = optString(key);
  if (s.empty()) {
    invalid(named(key) + " is empty");
  }
  return s;
}

std::string JsonRequest::optString(const std::string& key) const {
  if (!has(key)) {
    return {};
  }
  Poco::Dynamic::Var v = obj_->get(key);
  if (!v.isString()) {
    invalid(named(key) + " must be a string");
  }
  return v.extract<std::string>();
}

bool JsonRequest::boolean(const std::string& key, bool fallback) const {
  if (!has(key)) {
    return fallback;
  }
  Poco::Dynamic::Var v = obj_->get(key);
  if (!v.isBoolean()) {
    invalid(named(key) + " must be a boolean");
  }
  return v.convert<bool>();
}

int64_t JsonRequest::integer(const std::string& key, int64_t fallback) const {
  if (!has(key)) {
    return fallback;
  }
  Poco::Dynamic::Var v = obj_->get(key);
  if (!v.isInteger()) {
    invalid(named(key) + " must be an integer");
  }
  try {
    return v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    invalid(named(key) + " is out of range");
  }
}

Labels JsonRequest::labels(const std::string& key) const {
  Labels out;
  if (!has(key)) {
    return out;
  }
  Poco::JSON::Object::Ptr obj = obj_->getObject(key);
  if (obj.isNull()) {
    invalid(named(key) + " must be an object of strings");
  }
  // Matching needs all labels, not their order; Poco hands the names over sorted.
  for (const auto& name : obj->getNames()) {
    Poco::Dynamic::Var v = obj->get(name);
    if (!v.isString()) {
      invalid(named(key + "." + name) + " must be a string");
    }
    out.push_back(Label{name, v.extract<std::string>()});
  }
  return out;
}

Poco::JSON::Object::Ptr newObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::string toJson(const Poco::JSON::Object::Ptr& obj) {
  std::ostringstream out;
  obj->stringify(out);
  return out.str();
}

std::string toJson(const Poco::JSON::Array::Ptr& arr) {
  std::ostringstream out;
  arr->stringify(out);
  return out.str();
}

}  // namespace rkt::cas
