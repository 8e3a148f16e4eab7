// Resource quantities in the Kubernetes `resource.Quantity` syntax, as the appc resource
// isolators use them: "500m" CPU, "1G" or "16Mi" bytes, "1.5", "2e3".
#ifndef RKT_CORE_SCHEMA_QUANTITY_HPP
#define RKT_CORE_SCHEMA_QUANTITY_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rkt/base/result.hpp"

namespace rkt::schema {

/// An exact decimal quantity with nano (10^-9) resolution.
///
/// Syntax: `[+-]digits[.digits]` followed by nothing, a binary suffix (Ki Mi Gi Ti Pi Ei), a
/// decimal suffix (n u m k M G T P E) or an exponent (`e3`, `E-2`). A metric `K` is rejected, as in
/// the reference code. Values finer than 1n are rounded up (away from zero), as Kubernetes does.
/// Magnitudes are limited to about 1.7e29 base units; larger ones are a parse error.
///
/// The text a quantity was parsed from is kept and is what serialisation writes back, so a
/// manifest round-trips byte for byte; comparison and equality are numeric ("1G" == "1000M").
class Quantity {
 public:
  /// Zero.
  Quantity() = default;

  static Result<Quantity> parse(std::string_view text);
  /// `units` base units (bytes, cores...). Its text is the plain integer.
  static Quantity fromValue(std::int64_t units);
  /// `milli` thousandths of a unit. Its text is "<n>m", or the plain integer when whole.
  static Quantity fromMilliValue(std::int64_t milli);

  /// <0, 0, >0, numerically.
  int compare(const Quantity& other) const;
  bool isNegative() const { return nano_ < 0; }
  bool isZero() const { return nano_ == 0; }

  /// Whole base units, rounded up away from zero ("1.5" -> 2, "500m" -> 1); nullopt if the value
  /// does not fit an int64.
  std::optional<std::int64_t> value() const;
  /// Thousandths of a unit, rounded up away from zero ("500m" -> 500, "1" -> 1000).
  std::optional<std::int64_t> milliValue() const;

  /// The text this quantity was parsed from (or built as), e.g. "1.5Gi".
  const std::string& text() const { return text_; }

  bool operator==(const Quantity& o) const { return nano_ == o.nano_; }
  bool operator!=(const Quantity& o) const { return nano_ != o.nano_; }
  bool operator<(const Quantity& o) const { return nano_ < o.nano_; }
  bool operator<=(const Quantity& o) const { return nano_ <= o.nano_; }
  bool operator>(const Quantity& o) const { return nano_ > o.nano_; }
  bool operator>=(const Quantity& o) const { return nano_ >= o.nano_; }

 private:
  __int128 nano_ = 0;
  std::string text_ = "0";
};

}  // namespace rkt::schema

#endif  // RKT_CORE_SCHEMA_QUANTITY_HPP
