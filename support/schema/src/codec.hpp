// Internal: JSON <-> structs for everything below the manifest level. Decoders check JSON shapes
// and types only (semantic rules live in the validate*() functions) and throw JsonError.
#ifndef RKT_CORE_SRC_SCHEMA_CODEC_HPP
#define RKT_CORE_SRC_SCHEMA_CODEC_HPP

#include <string_view>

#include "json_codec.hpp"
#include "rkt/schema/app.hpp"
#include "rkt/schema/isolator.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::schema::detail {

Isolator decodeIsolator(const Var& v, std::string_view path);
IsolatorValue decodeIsolatorValue(std::string_view name, const Var& value, std::string_view path);
Isolators decodeIsolators(const Var& v, std::string_view path);
Var encodeIsolatorValue(const Isolator& iso, std::string_view path);
ArrayPtr encodeIsolators(const Isolators& isolators, std::string_view path);

Port decodePort(const Var& v, std::string_view path);
ObjectPtr encodePort(const Port& port);

Volume decodeVolume(const Var& v, std::string_view path);
ObjectPtr encodeVolume(const Volume& volume);

App decodeApp(const Var& v, std::string_view path);
ObjectPtr encodeApp(const App& app, std::string_view path);

}  // namespace rkt::schema::detail

#endif  // RKT_CORE_SRC_SCHEMA_CODEC_HPP
