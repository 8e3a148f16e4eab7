// Semantic Versioning 2.0.0, as used by `acVersion`.
#ifndef RKT_CORE_SCHEMA_SEMVER_HPP
#define RKT_CORE_SCHEMA_SEMVER_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "rkt/base/result.hpp"

namespace rkt::schema {

/// A parsed `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]` version.
struct SemVer {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::string preRelease;  ///< without the `-`; empty when absent
  std::string build;       ///< without the `+`; empty when absent

  /// Strict SemVer 2.0.0: three numeric parts without leading zeros, dot-separated identifiers of
  /// `[0-9A-Za-z-]` (numeric pre-release identifiers without leading zeros). "1.0" is rejected.
  static Result<SemVer> parse(std::string_view text);

  std::string toString() const;
  /// SemVer precedence: <0, 0, >0. Build metadata does not take part.
  int compare(const SemVer& other) const;
  bool isZero() const { return major == 0 && minor == 0 && patch == 0; }

  bool operator==(const SemVer& o) const { return compare(o) == 0 && build == o.build; }
  bool operator!=(const SemVer& o) const { return !(*this == o); }
  bool operator<(const SemVer& o) const { return compare(o) < 0; }
};

/// An `acVersion` value: a valid SemVer other than 0.0.0 (the reference library refuses 0.0.0).
Status validateAcVersion(std::string_view text);

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_SEMVER_HPP
