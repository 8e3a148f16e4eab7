// Reading the JSON requests of the store ABI and writing its results (Poco JSON). Every
// malformed request is RKT_E_INVALID "invalid `<op>` request: …", naming the field.
#ifndef RKT_CAS_JSON_REQUEST_HPP
#define RKT_CAS_JSON_REQUEST_HPP

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

#include "manifest_info.hpp"

namespace rkt::cas {

class JsonRequest {
 public:
  /// Parses `json` (a JSON object; an empty request reads as {}).
  JsonRequest(const std::string& json, std::string op);

  bool has(const std::string& key) const;
  /// A required, non-empty string.
  std::string string(const std::string& key) const;
  /// An optional string ("" when absent or null).
  std::string optString(const std::string& key) const;
  bool boolean(const std::string& key, bool fallback = false) const;
  int64_t integer(const std::string& key, int64_t fallback = 0) const;
  /// An optional {"name": "value", …} object, in its order.
  Labels labels(const std::string& key) const;

 private:
  [[noreturn]] void invalid(const std::string& why) const;

  std::string op_;
  Poco::JSON::Object::Ptr obj_;
};

/// A result object that keeps its keys in insertion order.
Poco::JSON::Object::Ptr newObject();
std::string toJson(const Poco::JSON::Object::Ptr& obj);
std::string toJson(const Poco::JSON::Array::Ptr& arr);

}  // namespace rkt::cas

#endif  // RKT_CAS_JSON_REQUEST_HPP
