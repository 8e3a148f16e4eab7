// sha512Key and hexOf (hash_util.hpp) for the plugin's own hot path: the tree store ID of a
// `rkt run` is one small SHA-512. Poco's SHA2Engine is in libPocoFoundation, which rkt maps
// anyway; with OpenSSL here store-cas.so would map libcrypto at every start (~0.8 ms: its
// relocations and initialisation), which only import, render and verify need (the archive
// helper, archive_helper.hpp).
#include <Poco/SHA2Engine.h>

#include "hash_util.hpp"
#include "image_key.hpp"

namespace rkt::cas {

std::string hexOf(std::string_view bytes) {
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

std::string sha512Key(std::string_view bytes) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_512);
  engine.update(bytes.data(), bytes.size());
  const Poco::DigestEngine::Digest& md = engine.digest();
  return std::string(kKeyPrefix) +
         hexOf(std::string_view(reinterpret_cast<const char*>(md.data()), kKeyHexLength / 2));
}

}  // namespace rkt::cas
