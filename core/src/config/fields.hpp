// Typed access to the fields of a configuration file's JSON object. Like rkt (Go's
// encoding/json), absent and null fields read as empty and unknown fields are ignored; a field
// of the wrong JSON type is an error.
#ifndef RKT_CORE_SRC_CONFIG_FIELDS_HPP
#define RKT_CORE_SRC_CONFIG_FIELDS_HPP

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "rkt/base/quote.hpp"
#include "rkt/core/result.hpp"

namespace rkt::config::detail {

/// The string field `key`, "" when absent or null. Error: "\"key\" must be a string".
Result<std::string> stringField(const Poco::JSON::Object& object, const std::string& key);

/// The array-of-strings field `key`, empty when absent or null.
Result<std::vector<std::string>> stringArrayField(const Poco::JSON::Object& object,
                                                  const std::string& key);

/// The object field `key`; an empty object when absent or null.
Result<Poco::JSON::Object::Ptr> objectField(const Poco::JSON::Object& object,
                                            const std::string& key);

}  // namespace rkt::config::detail

#endif  // RKT_CORE_SRC_CONFIG_FIELDS_HPP
