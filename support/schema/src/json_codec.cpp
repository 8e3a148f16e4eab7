#include "json_codec.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <limits>
#include <sstream>

namespace rkt::schema::detail {
namespace {

std::string describe(const Var& v) {
  if (v.isEmpty())
    return "null";
  if (v.type() == typeid(ObjectPtr))
    return "an object";
  if (v.type() == typeid(ArrayPtr))
    return "an array";
  if (v.isBoolean())
    return "a boolean";
  if (v.isString())
    return "a string";
  if (v.isNumeric())
    return "a number";
  return "an unsupported value";
}

[[noreturn]] void expected(std::string_view path, std::string_view what, const Var& got) {
  fail(path, "expected " + std::string(what) + ", got " + describe(got));
}

// Poco prefixes messages with the exception class ("JSON Exception: ..."); keep the cause.
std::string pocoCause(const Poco::Exception& e) {
  std::string msg = e.message().empty() ? e.displayText() : e.message();
  if (!msg.empty() && msg[0] >= 'A' && msg[0] <= 'Z')
    msg[0] = static_cast<char>(msg[0] - 'A' + 'a');
  return msg;
}

}  // namespace

void fail(std::string_view path, std::string_view message) {
  throw JsonError(fieldMessage(path, message));
}

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Var parseJson(std::string_view text) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
    return parser.parse(std::string(text));
  } catch (const Poco::Exception& e) {
    throw JsonError("malformed JSON: " + pocoCause(e));
  } catch (const std::exception& e) {
    throw JsonError(std::string("malformed JSON: ") + e.what());
  }
}

Var parseJsonValue(std::string_view text) {
  std::string wrapped;
  wrapped.reserve(text.size() + 2);
  wrapped.append("[").append(text).append("]");
  Var v = parseJson(wrapped);
  ArrayPtr arr = v.extract<ArrayPtr>();
  if (arr->size() != 1)
    throw JsonError("malformed JSON: expected exactly one value");
  return arr->get(0);
}

bool isNull(const Var& v) {
  return v.isEmpty();
}

ObjectPtr asObject(const Var& v, std::string_view path) {
  if (v.type() != typeid(ObjectPtr))
    expected(path, "an object", v);
  return v.extract<ObjectPtr>();
}

ArrayPtr asArray(const Var& v, std::string_view path) {
  if (v.type() != typeid(ArrayPtr))
    expected(path, "an array", v);
  return v.extract<ArrayPtr>();
}

std::string asString(const Var& v, std::string_view path) {
  if (!v.isString())
    expected(path, "a string", v);
  return v.extract<std::string>();
}

bool asBool(const Var& v, std::string_view path) {
  if (!v.isBoolean())
    expected(path, "a boolean", v);
  return v.extract<bool>();
}

std::uint64_t asUnsigned(const Var& v, std::string_view path, std::uint64_t max) {
  if (v.isBoolean() || !v.isInteger())
    expected(path, "an integer", v);
  std::uint64_t n = 0;
  if (v.isSigned()) {
    const auto s = v.convert<std::int64_t>();
    if (s < 0)
      fail(path, "must not be negative, got " + std::to_string(s));
    n = static_cast<std::uint64_t>(s);
  } else {
    n = v.convert<std::uint64_t>();
  }
  if (n > max)
    fail(path, "must be at most " + std::to_string(max) + ", got " + std::to_string(n));
  return n;
}

std::int64_t asSigned(const Var& v, std::string_view path) {
  if (v.isBoolean() || !v.isInteger())
    expected(path, "an integer", v);
  if (!v.isSigned()) {
    const auto u = v.convert<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      fail(path, "out of range: " + std::to_string(u));
    return static_cast<std::int64_t>(u);
  }
  return v.convert<std::int64_t>();
}

std::vector<std::string> asStringList(const Var& v, std::string_view path) {
  ArrayPtr arr = asArray(v, path);
  std::vector<std::string> out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i)
    out.push_back(asString(arr->get(static_cast<unsigned>(i)), indexPath(path, i)));
  return out;
}

std::map<std::string, std::string> asStringMap(const Var& v, std::string_view path) {
  ObjectPtr obj = asObject(v, path);
  std::map<std::string, std::string> out;
  for (const std::string& key : obj->getNames())
    out[key] = asString(obj->get(key), childPath(path, key));
  return out;
}

std::vector<NameValue> asNameValues(const Var& v, std::string_view path) {
  ArrayPtr arr = asArray(v, path);
  std::vector<NameValue> out;
  out.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string at = indexPath(path, i);
    ObjectPtr obj = asObject(arr->get(static_cast<unsigned>(i)), at);
    NameValue nv;
    forEachMember(obj, [&](const std::string& key, const Var& value) {
      if (key == "name")
        nv.name = asString(value, childPath(at, "name"));
      else if (key == "value")
        nv.value = asString(value, childPath(at, "value"));
    });
    out.push_back(std::move(nv));
  }
  return out;
}

std::string toJsonText(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

ObjectPtr newObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

ArrayPtr toArray(const std::vector<std::string>& list) {
  ArrayPtr arr = new Poco::JSON::Array();
  for (const auto& s : list)
    arr->add(s);
  return arr;
}

ArrayPtr toArray(const std::vector<NameValue>& list) {
  ArrayPtr arr = new Poco::JSON::Array();
  for (const auto& nv : list) {
    ObjectPtr obj = newObject();
    obj->set("name", nv.name);
    obj->set("value", nv.value);
    arr->add(obj);
  }
  return arr;
}

ObjectPtr toObject(const std::map<std::string, std::string>& map) {
  ObjectPtr obj = newObject();
  for (const auto& [k, v] : map)
    obj->set(k, v);
  return obj;
}

std::string stringify(const ObjectPtr& obj, JsonStyle style) {
  std::ostringstream out;
  obj->stringify(out, 0);
  if (style == JsonStyle::Compact)
    return out.str();
  return indentJson(out.str(), "\t");
}

std::string indentJson(std::string_view in, std::string_view indent) {
  std::string out;
  out.reserve(in.size() * 2);
  int depth = 0;
  auto newline = [&] {
    out.push_back('\n');
    for (int i = 0; i < depth; ++i)
      out.append(indent);
  };
  bool inString = false;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (inString) {
      out.push_back(c);
      if (c == '\\' && i + 1 < in.size())
        out.push_back(in[++i]);
      else if (c == '"')
        inString = false;
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        out.push_back(c);
        break;
      case '{':
      case '[':
        out.push_back(c);
        if (i + 1 < in.size() && (in[i + 1] == '}' || in[i + 1] == ']')) {
          out.push_back(in[++i]);  // Go writes empty containers as {} and []
        } else {
          ++depth;
          newline();
        }
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline();
        break;
      case ':':
        out.append(": ");
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;  // input is compact; drop stray whitespace
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace rkt::schema::detail
