// Reading the JSON objects of the plugin protocols (store and fetcher results) with Poco,
// without letting a Poco exception escape: every reader returns a Result naming the field.
#ifndef RKT_CORE_SRC_IMAGE_JSON_FIELDS_HPP
#define RKT_CORE_SRC_IMAGE_JSON_FIELDS_HPP

#include <cstdint>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "rkt/core/result.hpp"

namespace rkt::image::json {

/// Parses `text` as a JSON object / array; `what` names the document in errors.
Result<Poco::JSON::Object::Ptr> parseObject(const std::string& text, const std::string& what);
Result<Poco::JSON::Array::Ptr> parseArray(const std::string& text, const std::string& what);

/// Optional fields: absent or null gives the default; a value of another type is an error.
Result<std::string> str(const Poco::JSON::Object::Ptr& o, const std::string& field,
                        const std::string& what);
Result<std::int64_t> int64(const Poco::JSON::Object::Ptr& o, const std::string& field,
                           const std::string& what);
Result<bool> boolean(const Poco::JSON::Object::Ptr& o, const std::string& field,
                     const std::string& what);
/// A nested object; a null pointer when absent or null.
Result<Poco::JSON::Object::Ptr> object(const Poco::JSON::Object::Ptr& o, const std::string& field,
                                       const std::string& what);

/// Compact JSON text of an object / array.
std::string stringify(const Poco::JSON::Object& o);
std::string stringify(const Poco::JSON::Array& a);

}  // namespace rkt::image::json

#endif  // RKT_CORE_SRC_IMAGE_JSON_FIELDS_HPP
