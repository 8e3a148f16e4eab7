// Internal: the parse and serialise frame shared by the image and pod manifests — decode or
// encode through Poco, validate, and turn every JsonError / Poco exception into an rkt::Error.
#ifndef RKT_SCHEMA_SRC_MANIFEST_IO_HPP
#define RKT_SCHEMA_SRC_MANIFEST_IO_HPP

#include <Poco/Exception.h>

#include <string>
#include <string_view>

#include "json_codec.hpp"
#include "rkt/base/result.hpp"

namespace rkt::schema::detail {

/// `decode(Var) -> M` may throw; `validate(const M&) -> Status`. Decoding errors are prefixed
/// with `invalidPrefix` ("invalid image manifest: "); validation errors carry their own.
template <class M, class Decode, class Validate>
Result<M> parseManifest(std::string_view json, const char* invalidPrefix, Decode decode,
                        Validate validate) {
  M m;
  try {
    m = decode(parseJson(json));
  } catch (const JsonError& e) {
    return Error{invalidPrefix + std::string(e.what())};
  } catch (const Poco::Exception& e) {
    return Error{invalidPrefix + e.displayText()};
  }
  if (auto s = validate(m); !s)
    return s.error();
  return m;
}

/// Validates `m`, then `encode(const M&) -> ObjectPtr` (may throw) and stringifies it.
/// Encoding errors read "cannot serialise <what>: …".
template <class M, class Encode, class Validate>
Result<std::string> serializeManifest(const M& m, JsonStyle style, const char* what, Encode encode,
                                      Validate validate) {
  if (auto s = validate(m); !s)
    return s.error();
  try {
    return stringify(encode(m), style);
  } catch (const JsonError& e) {
    return Error{"cannot serialise " + std::string(what) + ": " + e.what()};
  } catch (const Poco::Exception& e) {
    return Error{"cannot serialise " + std::string(what) + ": " + e.displayText()};
  }
}

}  // namespace rkt::schema::detail

#endif  // RKT_SCHEMA_SRC_MANIFEST_IO_HPP
