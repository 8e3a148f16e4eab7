#include "image_key.hpp"

#include "errors.hpp"

namespace rkt::cas {

bool isImageKey(std::string_view key) {
  if (key.size() != kKeyLength || key.substr(0, kKeyPrefix.size()) != kKeyPrefix) {
    return false;
  }
  for (char c : key.substr(kKeyPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool isTreeId(std::string_view id) {
  constexpr std::string_view kTreePrefix = "deps-";
  return id.substr(0, kTreePrefix.size()) == kTreePrefix &&
         isImageKey(id.substr(kTreePrefix.size()));
}

void requireImageKey(std::string_view key) {
  if (!isImageKey(key)) {
    throw Error(RKT_E_INVALID, "invalid image key " + named(std::string(key)) +
                                   ": want `sha512-` and 64 lowercase hex digits");
  }
}

void requireTreeId(std::string_view id) {
  if (!isTreeId(id)) {
    throw Error(RKT_E_INVALID, "invalid tree store ID " + named(std::string(id)) +
                                   ": want `deps-sha512-` and 64 lowercase hex digits");
  }
}

}  // namespace rkt::cas
