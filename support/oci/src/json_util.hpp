// Small helpers over Poco JSON for the OCI documents (index, manifest, config).
#ifndef RKT_SUPPORT_OCI_JSON_UTIL_HPP
#define RKT_SUPPORT_OCI_JSON_UTIL_HPP

#include <Poco/JSON/Object.h>

#include <string>

#include "rkt/base/result.hpp"

namespace rkt::oci::detail {

/// Parses `json` as an object; the error names `what`.
Result<Poco::JSON::Object::Ptr> parseObject(const std::string& json, const std::string& what);
/// A string member, "" when absent or not a string.
std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key);
/// An object member, null when absent or not an object.
Poco::JSON::Object::Ptr obj(const Poco::JSON::Object::Ptr& o, const std::string& key);

}  // namespace rkt::oci::detail

#endif  // RKT_SUPPORT_OCI_JSON_UTIL_HPP
