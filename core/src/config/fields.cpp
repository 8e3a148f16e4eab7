#include "config/fields.hpp"

#include <Poco/JSON/Array.h>

#include <cstdio>

namespace rkt::config::detail {

namespace {

bool absent(const Poco::JSON::Object& object, const std::string& key) {
  return !object.has(key) || object.isNull(key);
}

}  // namespace

Result<std::string> stringField(const Poco::JSON::Object& object, const std::string& key) {
  if (absent(object, key)) {
    return std::string();
  }
  const Poco::Dynamic::Var value = object.get(key);
  if (!value.isString()) {
    return Error{goQuote(key) + " must be a string"};
  }
  return value.extract<std::string>();
}

Result<std::vector<std::string>> stringArrayField(const Poco::JSON::Object& object,
                                                  const std::string& key) {
  std::vector<std::string> out;
  if (absent(object, key)) {
    return out;
  }
  const Poco::JSON::Array::Ptr array = object.isArray(key) ? object.getArray(key) : nullptr;
  if (array.isNull()) {
    return Error{goQuote(key) + " must be an array of strings"};
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var item = array->get(static_cast<unsigned int>(i));
    if (!item.isString()) {
      return Error{goQuote(key) + " must be an array of strings"};
    }
    out.push_back(item.extract<std::string>());
  }
  return out;
}

Result<Poco::JSON::Object::Ptr> objectField(const Poco::JSON::Object& object,
                                            const std::string& key) {
  if (absent(object, key)) {
    return Poco::JSON::Object::Ptr(new Poco::JSON::Object());
  }
  Poco::JSON::Object::Ptr value = object.isObject(key) ? object.getObject(key) : nullptr;
  if (value.isNull()) {
    return Error{goQuote(key) + " must be an object"};
  }
  return value;
}

}  // namespace rkt::config::detail
