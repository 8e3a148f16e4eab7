// Adding keys to the trust store the way rkt does (rkt/pubkey): from a local file or an
// http(s) URL, or from the `ac-discovery-pubkeys` meta tags of a prefix; each key is shown
// (fingerprint, subkeys, identities) and, unless review is skipped, the user confirms it.
// Used by `rkt trust` and by fetches by name (key auto-discovery).
#ifndef RKT_CORE_TRUST_PUBKEY_HPP
#define RKT_CORE_TRUST_PUBKEY_HPP

#include <chrono>
#include <functional>
#include <string>
#include <vector>
#include "rkt/base/quote.hpp"

#include "rkt/core/config.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/trust/http_get.hpp"
#include "rkt/core/trust/keystore.hpp"

namespace rkt::trust {

enum class Accept {
  kAsk,    ///< show the key and ask (needs a terminal)
  kForce,  ///< trust without review (--skip-fingerprint-review)
};

struct PubkeyOptions {
  bool allowHttp = false;           ///< --insecure-allow-http (keys and discovery over http)
  bool insecureTls = false;         ///< --insecure-options=tls
  bool trustKeysFromHttps = false;  ///< --trust-keys-from-https: https keys need no review
  bool debug = false;
  const config::Config* config = nullptr;  ///< auth.d headers for discovery pages
  /// Longest silence of a key or discovery download (--http-stall-timeout).
  std::chrono::milliseconds httpStallTimeout = kDefaultHttpStallTimeout;
  /// stdout lines (fingerprints, "Trusting …", "Added …").
  std::function<void(const std::string&)> out;
  /// stderr lines (the caller adds its "<prefix>: ").
  std::function<void(const std::string&)> log;
  /// Whether stdin and stderr are terminals (the prompt needs both).
  bool interactive = false;
  /// Reads one answer line (with its '\n'); an Error on end of input.
  std::function<Result<std::string>()> readLine;
};

class PubkeyManager {
 public:
  PubkeyManager(const Keystore& keystore, PubkeyOptions options)
      : keystore_(keystore), options_(std::move(options)) {}

  /// Key URLs from the `ac-discovery-pubkeys` tags for `prefix`. Errors: "empty prefix",
  /// "prefix meta discovery error: …", "meta discovery on P resulted in no keys".
  Result<std::vector<std::string>> discoverKeyLocations(const std::string& prefix) const;

  /// Fetches, shows, reviews and stores each key; `prefix` empty = root key. A refused key is
  /// skipped ("not trusting …"); the first hard failure stops with an error naming the key.
  Status addKeys(const std::vector<std::string>& locations, const std::string& prefix,
                 Accept accept) const;

  /// The armored key at `location`: a local path, or an https URL (http with allowHttp).
  Result<std::string> fetchKey(const std::string& location) const;

 private:
  void out(const std::string& line) const;
  void log(const std::string& line) const;
  Result<bool> review() const;

  const Keystore& keystore_;
  PubkeyOptions options_;
};

}  // namespace rkt::trust

#endif  // RKT_CORE_TRUST_PUBKEY_HPP
