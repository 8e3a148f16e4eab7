// Internal: reading and writing appc JSON through Poco.
//
// Decoding throws JsonError (a message that already names the JSON path); the public parse
// functions catch it, together with every Poco exception, and return an rkt::Error. Nothing here
// leaves the schema module.
#ifndef RKT_CORE_SRC_SCHEMA_JSON_CODEC_HPP
#define RKT_CORE_SRC_SCHEMA_JSON_CODEC_HPP

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "field_path.hpp"
#include "rkt/base/result.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema::detail {

using Var = Poco::Dynamic::Var;
using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

/// A JSON shape problem (decoding) or an unencodable value (encoding), with its field path.
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws JsonError(fieldMessage(path, message)).
[[noreturn]] void fail(std::string_view path, std::string_view message);

/// Parses a JSON document (an object or array); throws JsonError("malformed JSON: ...").
Var parseJson(std::string_view text);
/// Parses any single JSON value, scalars included (Poco's parser refuses a bare scalar).
Var parseJsonValue(std::string_view text);

bool isNull(const Var& v);
/// Calls f(lowercased key, value) for each member in document order, skipping null values (Go
/// leaves the field unset for a JSON null). Keys are matched case-insensitively as Go does.
template <class F>
void forEachMember(const ObjectPtr& obj, F&& f);

ObjectPtr asObject(const Var& v, std::string_view path);
ArrayPtr asArray(const Var& v, std::string_view path);
std::string asString(const Var& v, std::string_view path);
bool asBool(const Var& v, std::string_view path);
/// A JSON integer (no fraction or exponent) in [0, max].
std::uint64_t asUnsigned(const Var& v, std::string_view path, std::uint64_t max);
/// A JSON integer in [INT64_MIN, INT64_MAX].
std::int64_t asSigned(const Var& v, std::string_view path);
std::vector<std::string> asStringList(const Var& v, std::string_view path);
std::map<std::string, std::string> asStringMap(const Var& v, std::string_view path);
/// `[{"name": ..., "value": ...}]`.
std::vector<NameValue> asNameValues(const Var& v, std::string_view path);
/// Compact JSON text of any value.
std::string toJsonText(const Var& v);

/// A new object that keeps insertion order.
ObjectPtr newObject();
ArrayPtr toArray(const std::vector<std::string>& list);
ArrayPtr toArray(const std::vector<NameValue>& list);
ObjectPtr toObject(const std::map<std::string, std::string>& map);
/// Compact text of `obj`, or tab-indented in the Go style.
std::string stringify(const ObjectPtr& obj, JsonStyle style);
/// Re-indents compact JSON text the way Go's json.MarshalIndent(v, "", indent) lays it out.
std::string indentJson(std::string_view compact, std::string_view indent);

// --- implementation of the template ---

std::string lowerAscii(std::string_view s);

template <class F>
void forEachMember(const ObjectPtr& obj, F&& f) {
  for (const std::string& key : obj->getNames()) {
    Var value = obj->get(key);
    if (isNull(value))
      continue;
    f(lowerAscii(key), value);
  }
}

}  // namespace rkt::schema::detail

#endif  // RKT_CORE_SRC_SCHEMA_JSON_CODEC_HPP
