// The set of security features a user disabled with `--insecure-options` (rkt's SecFlags).
//
// The flag value is a comma-separated list of words; every word must be known, an unknown word is
// an error. Words name single features or groups (`all-fetch`, `all-run`, `all`); the result is the
// union. `ondisk` is accepted for compatibility with old scripts and ignored, as rkt does.
#ifndef RKT_CORE_INSECURE_OPTIONS_HPP
#define RKT_CORE_INSECURE_OPTIONS_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "rkt/core/result.hpp"

namespace rkt {

/// One disableable security feature. The values are rkt's bit values, so a bitmask printed by
/// rkt and by this implementation means the same thing.
enum class InsecureOption : std::uint32_t {
  kImage = 1u << 0,         ///< skip image signature verification
  kTls = 1u << 1,           ///< accept any TLS certificate and host name
  kOnDisk = 1u << 2,        ///< obsolete: accepted by the parser, never set in a parsed value
  kHttp = 1u << 3,          ///< allow plain HTTP for discovery, images and signatures
  kPubkey = 1u << 4,        ///< allow fetching public keys over insecure connections
  kCapabilities = 1u << 5,  ///< apps get all capabilities
  kPaths = 1u << 6,         ///< no read-only / inaccessible kernel paths
  kSeccomp = 1u << 7,       ///< no seccomp filter
};

/// A value of `--insecure-options`. Default-constructed = `none` (everything enabled).
class InsecureOptions {
 public:
  InsecureOptions() = default;
  /// Builds a set from raw bits; bits that name no feature (and kOnDisk) are dropped.
  static InsecureOptions fromBits(std::uint32_t bits);

  /// Parses a flag value such as "image,tls" or "all-run". Errors name the offending word.
  static Result<InsecureOptions> parse(std::string_view csv);

  /// The words `parse` accepts, in rkt's documented order (for help texts and completion).
  static const char* const* words();
  static std::size_t wordCount();

  bool has(InsecureOption option) const {
    return (bits_ & static_cast<std::uint32_t>(option)) != 0;
  }
  bool none() const { return bits_ == 0; }
  std::uint32_t bits() const { return bits_; }

  bool skipImageCheck() const { return has(InsecureOption::kImage); }
  bool skipTlsCheck() const { return has(InsecureOption::kTls); }
  bool allowHttp() const { return has(InsecureOption::kHttp); }
  bool allowInsecurePubkey() const { return has(InsecureOption::kPubkey); }
  bool skipCapabilities() const { return has(InsecureOption::kCapabilities); }
  bool skipPaths() const { return has(InsecureOption::kPaths); }
  bool skipSeccomp() const { return has(InsecureOption::kSeccomp); }

  /// Renders the set as single feature words in bit order ("image,http"), or "none" when empty.
  /// The result parses back to an equal set.
  std::string toString() const;

  friend bool operator==(InsecureOptions a, InsecureOptions b) { return a.bits_ == b.bits_; }
  friend bool operator!=(InsecureOptions a, InsecureOptions b) { return a.bits_ != b.bits_; }

 private:
  explicit InsecureOptions(std::uint32_t bits) : bits_(bits) {}
  std::uint32_t bits_ = 0;
};

}  // namespace rkt

#endif  // RKT_CORE_INSECURE_OPTIONS_HPP
