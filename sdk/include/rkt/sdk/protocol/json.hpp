// The one JSON codec of the plugin protocols (rkt/abi/*.h), shared by the rkt core and by
// plugins (header-only; JSON through Poco, so link Poco::JSON and Poco::Foundation, which the
// CMake target Rkt::PluginSdkProtocol and the pkg-config module rkt-plugin-sdk-protocol do).
//
// A message is a struct that lists its fields once:
//
//   struct StopRequest {
//     static constexpr const char* kWhat = "stop request";          // names it in errors
//     static constexpr const char* kSchema = "stage1-stop-request";  //
//     sdk/schema/<kSchema>.schema.json std::string podDir; bool force = false; template <class V,
//     class S> static void visitFields(V& v, S& s) {
//       v("pod_dir", s.podDir, Presence::kRequired);
//       v("force", s.force);
//     }
//   };
//   StopRequest r = protocol::decode<StopRequest>(json);   // throws sdk::Error(RKT_E_INVALID)
//   std::string out = protocol::encode(r);
//
// Rules, the same on both sides of the boundary:
//  - Unknown fields are ignored (a newer core may send more); absent and null fields keep the
//    member's default.
//  - A field of the wrong type, a missing required field or a value the message's `validate`
//    refuses is RKT_E_INVALID with one line naming the field:
//      invalid stop request: field "pod_dir": expected a string
//  - Members are std::string, bool, int / std::int64_t, std::vector<…>, std::map<std::string,
//    std::string> (an object of strings), std::optional<…> (absent when empty), RawJsonObject
//    (a JSON object kept as text) and nested structs with their own visitFields.
//  - Fields are written in the order visitFields lists them; kOmitEmpty fields and empty
//    optionals are left out.
// A message whose JSON is an array (a `list` result) has `static constexpr bool kArray = true`
// and its elements in `items`. A message may define `static void validate(const T&)` for what
// types cannot say (an absolute path, an enumeration); it calls invalidField() on failure.
#ifndef RKT_SDK_PROTOCOL_JSON_HPP
#define RKT_SDK_PROTOCOL_JSON_HPP

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "rkt/sdk/error.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::protocol {

/// How a field is read and written.
enum class Presence {
  kOptional,  ///< may be absent or null (the member keeps its default); always written
  kRequired,  ///< must be present and not null, and a string or array not empty; always written
  kOmitEmpty  ///< optional, and not written when empty ("", [], {}, false, 0)
};

/// A JSON object carried as its text (e.g. an image manifest inside a store result).
struct RawJsonObject {
  std::string text;
  bool operator==(const RawJsonObject& o) const { return text == o.text; }
};

using StringMap = std::map<std::string, std::string>;

/// Throws the codec's error for message `what`: "invalid <what>: <detail>".
[[noreturn]] inline void invalidMessage(const std::string& what, const std::string& detail) {
  throw sdk::Error(RKT_E_INVALID, "invalid " + what + ": " + detail);
}

/// Throws "invalid <what>: field "<path>": <problem>".
[[noreturn]] inline void invalidField(const std::string& what, const std::string& path,
                                      const std::string& problem) {
  invalidMessage(what, "field \"" + path + "\": " + problem);
}

namespace detail {

using Var = Poco::Dynamic::Var;
using ObjectPtr = Poco::JSON::Object::Ptr;
using ArrayPtr = Poco::JSON::Array::Ptr;

template <class T, class = void>
struct IsRecord : std::false_type {};
template <class T>
struct IsRecord<T, std::void_t<decltype(&T::template visitFields<int, T>)>> : std::true_type {};

template <class T, class = void>
struct IsArrayMessage : std::false_type {};
template <class T>
struct IsArrayMessage<T, std::enable_if_t<T::kArray>> : std::true_type {};

template <class T, class = void>
struct HasValidate : std::false_type {};
template <class T>
struct HasValidate<T, std::void_t<decltype(T::validate(std::declval<const T&>()))>>
    : std::true_type {};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
bool isEmpty(const T& value) {
  if constexpr (IsOptional<T>::value) {
    return !value.has_value();
  } else if constexpr (std::is_same_v<T, RawJsonObject>) {
    return value.text.empty();
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, StringMap>) {
    return value.empty();
  } else if constexpr (std::is_arithmetic_v<T>) {
    return value == T{};  // false, 0
  } else if constexpr (IsRecord<T>::value) {
    return false;
  } else {
    return value.empty();  // std::vector
  }
}

inline std::string childPath(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "." + name;
}

inline ObjectPtr newObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

inline std::string stringify(const Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

/// Parses `text`; the document must be an object (an empty request, whitespace only, reads as
/// `{}`), or an array when `array`. Objects keep their key order (a RawJsonObject is passed on
/// as it came).
inline Var parseDocument(const std::string& text, const std::string& what, bool array) {
  if (!array && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Var(newObject());
  }
  Var v;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    v = parser.parse(text);
  } catch (const Poco::Exception& e) {
    invalidMessage(what, "malformed JSON: " + e.displayText());
  }
  if (array ? v.type() != typeid(ArrayPtr) : v.type() != typeid(ObjectPtr)) {
    invalidMessage(what, array ? "not a JSON array" : "not a JSON object");
  }
  return v;
}

/// Reads the fields of one JSON object into a struct (the visitor visitFields calls).
class Decoder {
 public:
  Decoder(const std::string& what, ObjectPtr object, std::string path)
      : what_(what), object_(std::move(object)), path_(std::move(path)) {}

  template <class M>
  void operator()(const char* name, M& member, Presence presence = Presence::kOptional) {
    const std::string path = childPath(path_, name);
    if (!object_->has(name) || object_->isNull(name)) {
      if (presence == Presence::kRequired) {
        invalidField(what_, path, "missing");
      }
      return;
    }
    read(object_->get(name), member, path);
    // A required string, array or object of strings must have content; a required number or
    // boolean only needs to be there.
    if constexpr (!std::is_arithmetic_v<M>) {
      if (presence == Presence::kRequired && isEmpty(member)) {
        invalidField(what_, path, "must not be empty");
      }
    }
  }

  template <class M>
  void read(const Var& v, M& out, const std::string& path) const {
    if constexpr (std::is_same_v<M, std::string>) {
      if (!v.isString()) {
        invalidField(what_, path, "expected a string");
      }
      out = v.extract<std::string>();
    } else if constexpr (std::is_same_v<M, bool>) {
      if (!v.isBoolean()) {
        invalidField(what_, path, "expected a boolean");
      }
      out = v.extract<bool>();
    } else if constexpr (std::is_integral_v<M>) {
      out = integer<M>(v, path);
    } else if constexpr (IsOptional<M>::value) {
      out.emplace();
      read(v, *out, path);
    } else if constexpr (std::is_same_v<M, StringMap>) {
      const ObjectPtr o = object(v, path);
      out.clear();
      for (const std::string& key : o->getNames()) {
        if (!o->isNull(key)) {
          read(o->get(key), out[key], childPath(path, key));
        }
      }
    } else if constexpr (std::is_same_v<M, RawJsonObject>) {
      out.text = stringify(Var(object(v, path)));
    } else if constexpr (IsRecord<M>::value) {
      Decoder nested(what_, object(v, path), path);
      M::visitFields(nested, out);
    } else {  // std::vector<T>
      if (v.type() != typeid(ArrayPtr)) {
        invalidField(what_, path, "expected an array");
      }
      const ArrayPtr a = v.extract<ArrayPtr>();
      out.assign(a->size(), typename M::value_type{});
      for (std::size_t i = 0; i < a->size(); ++i) {
        read(a->get(static_cast<unsigned>(i)), out[i], path + "[" + std::to_string(i) + "]");
      }
    }
  }

 private:
  ObjectPtr object(const Var& v, const std::string& path) const {
    if (v.type() != typeid(ObjectPtr)) {
      invalidField(what_, path, "expected an object");
    }
    return v.extract<ObjectPtr>();
  }

  template <class I>
  I integer(const Var& v, const std::string& path) const {
    if (!v.isInteger()) {
      invalidField(what_, path, "expected an integer");
    }
    std::int64_t n = 0;
    try {
      n = v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
      invalidField(what_, path, "out of range");
    }
    if (n < static_cast<std::int64_t>(std::numeric_limits<I>::min()) ||
        (n > 0 && static_cast<std::uint64_t>(n) >
                      static_cast<std::uint64_t>(std::numeric_limits<I>::max()))) {
      invalidField(what_, path, "out of range");
    }
    return static_cast<I>(n);
  }

  const std::string& what_;
  ObjectPtr object_;
  std::string path_;
};

/// Writes the fields of a struct into one JSON object (the visitor visitFields calls).
class Encoder {
 public:
  explicit Encoder(ObjectPtr object) : object_(std::move(object)) {}

  template <class M>
  void operator()(const char* name, const M& member, Presence presence = Presence::kOptional) {
    if ((presence == Presence::kOmitEmpty || IsOptional<M>::value) && isEmpty(member)) {
      return;
    }
    object_->set(name, toVar(member));
  }

  template <class M>
  static Var toVar(const M& value) {
    if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, bool>) {
      return Var(value);
    } else if constexpr (std::is_integral_v<M>) {
      return Var(static_cast<Poco::Int64>(value));
    } else if constexpr (IsOptional<M>::value) {
      return toVar(*value);
    } else if constexpr (std::is_same_v<M, StringMap>) {
      ObjectPtr o = newObject();
      for (const auto& [key, v] : value) {
        o->set(key, v);
      }
      return Var(o);
    } else if constexpr (std::is_same_v<M, RawJsonObject>) {
      // Kept as the sender wrote it (key order included); it was an object when decoded.
      return parseDocument(value.text, "embedded JSON object", false);
    } else if constexpr (IsRecord<M>::value) {
      ObjectPtr o = newObject();
      Encoder nested(o);
      M::visitFields(nested, value);
      return Var(o);
    } else {  // std::vector<T>
      ArrayPtr a = new Poco::JSON::Array;
      for (const auto& item : value) {
        a->add(toVar(item));
      }
      return Var(a);
    }
  }

 private:
  ObjectPtr object_;
};

}  // namespace detail

/// The field error of message type T (for validate() functions).
template <class T>
[[noreturn]] void invalidField(const std::string& path, const std::string& problem) {
  invalidField(T::kWhat, path, problem);
}

/// Reads message T from JSON text. Throws sdk::Error(RKT_E_INVALID, "invalid <T::kWhat>: …").
template <class T>
T decode(const std::string& text) {
  const std::string what = T::kWhat;
  T out{};
  if constexpr (detail::IsArrayMessage<T>::value) {
    detail::Decoder reader(what, detail::newObject(), "");
    reader.read(detail::parseDocument(text, what, true), out.items, "");
  } else {
    detail::Decoder reader(
        what, detail::parseDocument(text, what, false).extract<detail::ObjectPtr>(), "");
    T::visitFields(reader, out);
  }
  if constexpr (detail::HasValidate<T>::value) {
    T::validate(out);
  }
  return out;
}

/// Writes message T as compact JSON text.
template <class T>
std::string encode(const T& message) {
  if constexpr (detail::IsArrayMessage<T>::value) {
    return detail::stringify(detail::Encoder::toVar(message.items));
  } else {
    return detail::stringify(detail::Encoder::toVar(message));
  }
}

}  // namespace rkt::protocol

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_PROTOCOL_JSON_HPP
