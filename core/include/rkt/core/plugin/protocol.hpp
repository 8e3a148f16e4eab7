// The host's side of the SDK protocol codec (rkt/sdk/protocol/json.hpp): plugin answers decoded
// into the protocol types, with the codec's error (which names the field) as a Result.
//
//   Result<protocol::store::BlobResult> blob =
//   plugin::decodeMessage<protocol::store::BlobResult>(text);
#ifndef RKT_CORE_PLUGIN_PROTOCOL_HPP
#define RKT_CORE_PLUGIN_PROTOCOL_HPP

#include <string>

#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/json.hpp"

namespace rkt::plugin {

/// Message T read from `text`; an error "invalid <T::kWhat>: field "…": …" when it does not
/// match its schema.
template <class T>
Result<T> decodeMessage(const std::string& text) {
  try {
    return protocol::decode<T>(text);
  } catch (const sdk::Error& e) {
    return Error{e.what(), e.sysErrno()};
  }
}

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_PROTOCOL_HPP
