#include "rkt/schema/quantity.hpp"

#include <cstdint>
#include <limits>

namespace rkt::schema {
namespace {

using Int128 = __int128;

// More significant digits than this could overflow 128 bits once scaled; nobody writes them.
constexpr size_t kMaxSignificantDigits = 36;
constexpr int kNanoExponent = 9;

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

struct Suffix {
  int base2Exponent = 0;   // value *= 2^base2Exponent
  int base10Exponent = 0;  // value *= 10^base10Exponent
};

bool interpretSuffix(std::string_view s, Suffix& out) {
  static constexpr struct {
    std::string_view name;
    int base2;
    int base10;
  } kTable[] = {
      {"", 0, 0},    {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0},
      {"Ei", 60, 0}, {"n", 0, -9},  {"u", 0, -6},  {"m", 0, -3},  {"k", 0, 3},   {"M", 0, 6},
      {"G", 0, 9},   {"T", 0, 12},  {"P", 0, 15},  {"E", 0, 18},
  };
  for (const auto& entry : kTable) {
    if (entry.name == s) {
      out = Suffix{entry.base2, entry.base10};
      return true;
    }
  }
  // Exponent form: e3, E-2, e+10.
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E'))
    return false;
  size_t i = 1;
  bool negative = false;
  if (s[i] == '+' || s[i] == '-') {
    negative = s[i] == '-';
    ++i;
  }
  if (i == s.size())
    return false;
  int exponent = 0;
  for (; i < s.size(); ++i) {
    if (!isDigit(s[i]))
      return false;
    exponent = exponent * 10 + (s[i] - '0');
    if (exponent > 10000)  // far beyond any representable quantity; avoids int overflow
      exponent = 10000;
  }
  out = Suffix{0, negative ? -exponent : exponent};
  return true;
}

bool mulChecked(Int128& v, Int128 by) {
  return !__builtin_mul_overflow(v, by, &v);
}

// Rounds num/den (den > 0) away from zero.
Int128 divRoundUp(Int128 num, Int128 den) {
  Int128 q = num / den;
  if (num % den != 0)
    q += num < 0 ? -1 : 1;
  return q;
}

std::optional<std::int64_t> toInt64(Int128 v) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min())
    return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace

Result<Quantity> Quantity::parse(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error{"invalid quantity `" + std::string(text) + "`: " + why};
  };
  if (text.empty())
    return Error{"invalid quantity: must not be empty"};

  size_t pos = 0;
  bool negative = false;
  if (text[pos] == '+' || text[pos] == '-') {
    negative = text[pos] == '-';
    ++pos;
  }
  std::string digits;  // integer and fraction digits, without the point
  int fractionDigits = 0;
  size_t digitCount = 0;
  for (; pos < text.size() && isDigit(text[pos]); ++pos, ++digitCount)
    digits.push_back(text[pos]);
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    for (; pos < text.size() && isDigit(text[pos]); ++pos, ++digitCount) {
      digits.push_back(text[pos]);
      ++fractionDigits;
    }
  }
  if (digitCount == 0)
    return bad("expected a number");

  Suffix suffix;
  const std::string_view suffixText = text.substr(pos);
  if (!interpretSuffix(suffixText, suffix)) {
    if (suffixText == "K")
      return bad("unknown suffix `K` (the decimal kilo suffix is `k`)");
    return bad("unknown suffix `" + std::string(suffixText) +
               "` (use Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or an exponent like e3)");
  }

  // value = digits * 10^(base10 - fractionDigits) * 2^base2, kept in nano units.
  size_t first = digits.find_first_not_of('0');
  Int128 nano = 0;
  if (first != std::string::npos) {
    digits.erase(0, first);
    int exponent10 = suffix.base10Exponent - fractionDigits + kNanoExponent;
    while (digits.back() == '0') {
      digits.pop_back();
      ++exponent10;
    }
    if (digits.size() > kMaxSignificantDigits)
      return bad("too many significant digits");
    Int128 n = 0;
    for (char c : digits)
      n = n * 10 + (c - '0');
    const char* outOfRange = "out of range";
    if (!mulChecked(n, Int128(1) << suffix.base2Exponent))
      return bad(outOfRange);
    if (exponent10 >= 0) {
      for (int i = 0; i < exponent10; ++i) {
        if (!mulChecked(n, 10))
          return bad(outOfRange);
      }
    } else if (exponent10 < -38) {
      n = 1;  // a positive amount below 1n rounds up to 1n
    } else {
      Int128 divisor = 1;
      for (int i = 0; i < -exponent10; ++i)
        divisor *= 10;
      n = divRoundUp(n, divisor);
    }
    // Keep headroom so that negation and comparisons never overflow.
    if (n > (Int128(1) << 125))
      return bad(outOfRange);
    nano = negative ? -n : n;
  }

  Quantity q;
  q.nano_ = nano;
  q.text_ = std::string(text);
  return q;
}

Quantity Quantity::fromValue(std::int64_t units) {
  Quantity q;
  q.nano_ = Int128(units) * 1000000000;
  q.text_ = std::to_string(units);
  return q;
}

Quantity Quantity::fromMilliValue(std::int64_t milli) {
  Quantity q;
  q.nano_ = Int128(milli) * 1000000;
  q.text_ = milli % 1000 == 0 ? std::to_string(milli / 1000) : std::to_string(milli) + "m";
  return q;
}

int Quantity::compare(const Quantity& other) const {
  if (nano_ == other.nano_)
    return 0;
  return nano_ < other.nano_ ? -1 : 1;
}

std::optional<std::int64_t> Quantity::value() const {
  return toInt64(divRoundUp(nano_, 1000000000));
}

std::optional<std::int64_t> Quantity::milliValue() const {
  return toInt64(divRoundUp(nano_, 1000000));
}

}  // namespace rkt::schema
