// Go's time.ParseDuration / Duration.String, following Go's algorithm so that every value rkt
// accepts is accepted here with the same meaning.
#include "rkt/core/util/duration.hpp"

#include <cstdint>
#include <utility>

namespace rkt::util {
namespace {

constexpr std::uint64_t kMaxDuration = std::uint64_t{1} << 63;

std::string quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

Error invalid(std::string_view orig) {
  return Error{"time: invalid duration " + quote(orig)};
}

std::uint64_t unitNanoseconds(std::string_view unit) {
  if (unit == "ns") {
    return 1;
  }
  if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") {  // µ (micro sign, mu)
    return 1000;
  }
  if (unit == "ms") {
    return 1000 * 1000;
  }
  if (unit == "s") {
    return 1000 * 1000 * 1000;
  }
  if (unit == "m") {
    return 60ull * 1000 * 1000 * 1000;
  }
  if (unit == "h") {
    return 3600ull * 1000 * 1000 * 1000;
  }
  return 0;
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Leading decimal integer; false on overflow.
bool leadingInt(std::string_view& s, std::uint64_t& value) {
  value = 0;
  std::size_t i = 0;
  for (; i < s.size() && isDigit(s[i]); ++i) {
    if (value > kMaxDuration / 10) {
      return false;
    }
    value = value * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (value > kMaxDuration) {
      return false;
    }
  }
  s.remove_prefix(i);
  return true;
}

// Leading fraction digits: value and its scale (10^digits kept); excess digits are dropped.
void leadingFraction(std::string_view& s, std::uint64_t& value, double& scale) {
  value = 0;
  scale = 1;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && isDigit(s[i]); ++i) {
    if (overflow) {
      continue;
    }
    if (value > (kMaxDuration - 1) / 10) {
      overflow = true;
      continue;
    }
    std::uint64_t next = value * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (next > kMaxDuration) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// Writes the fraction of v / 10^prec into `out` (reversed), omitting trailing zeros and the
// point when the fraction is zero; returns v / 10^prec.
std::uint64_t fracReversed(std::string& out, std::uint64_t v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const auto digit = static_cast<char>(v % 10);
    print = print || digit != 0;
    if (print) {
      out.push_back(static_cast<char>('0' + digit));
    }
    v /= 10;
  }
  if (print) {
    out.push_back('.');
  }
  return v;
}

void intReversed(std::string& out, std::uint64_t v) {
  if (v == 0) {
    out.push_back('0');
    return;
  }
  while (v > 0) {
    out.push_back(static_cast<char>('0' + v % 10));
    v /= 10;
  }
}

}  // namespace

Result<std::chrono::nanoseconds> parseGoDuration(std::string_view text) {
  const std::string_view orig = text;
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    return std::chrono::nanoseconds(0);
  }
  if (s.empty()) {
    return invalid(orig);
  }
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || isDigit(s[0]))) {
      return invalid(orig);
    }
    std::uint64_t v = 0;
    const std::size_t before = s.size();
    if (!leadingInt(s, v)) {
      return invalid(orig);
    }
    const bool pre = before != s.size();
    std::uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const std::size_t fracBefore = s.size();
      leadingFraction(s, f, scale);
      post = fracBefore != s.size();
    }
    if (!pre && !post) {
      return invalid(orig);
    }
    std::size_t i = 0;
    while (i < s.size() && !(s[i] == '.' || isDigit(s[i]))) {
      ++i;
    }
    if (i == 0) {
      return Error{"time: missing unit in duration " + quote(orig)};
    }
    const std::string_view unitText = s.substr(0, i);
    s.remove_prefix(i);
    const std::uint64_t unit = unitNanoseconds(unitText);
    if (unit == 0) {
      return Error{"time: unknown unit " + quote(unitText) + " in duration " + quote(orig)};
    }
    if (v > kMaxDuration / unit) {
      return invalid(orig);
    }
    v *= unit;
    if (f > 0) {
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMaxDuration) {
        return invalid(orig);
      }
    }
    total += v;
    if (total > kMaxDuration) {
      return invalid(orig);
    }
  }
  if (neg) {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(0 - total));
  }
  if (total > kMaxDuration - 1) {
    return invalid(orig);
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(total));
}

std::string formatGoDuration(std::chrono::nanoseconds d) {
  const std::int64_t count = d.count();
  const bool neg = count < 0;
  std::uint64_t u = neg ? 0 - static_cast<std::uint64_t>(count) : static_cast<std::uint64_t>(count);
  if (u == 0) {
    return "0s";
  }
  std::string rev;  // built backwards, as Go fills its buffer from the end
  rev.push_back('s');
  if (u < 1000000000ull) {
    int prec = 0;
    if (u < 1000ull) {
      rev.push_back('n');
    } else if (u < 1000000ull) {
      prec = 3;
      rev += "\xb5\xc2";  // "µ" reversed
    } else {
      prec = 6;
      rev.push_back('m');
    }
    u = fracReversed(rev, u, prec);
    intReversed(rev, u);
  } else {
    u = fracReversed(rev, u, 9);
    intReversed(rev, u % 60);
    u /= 60;
    if (u > 0) {
      rev.push_back('m');
      intReversed(rev, u % 60);
      u /= 60;
      if (u > 0) {
        rev.push_back('h');
        intReversed(rev, u);
      }
    }
  }
  if (neg) {
    rev.push_back('-');
  }
  return std::string(rev.rbegin(), rev.rend());
}

}  // namespace rkt::util
