// Quoting strings the way rkt's Go code prints them: Go's `%q` in messages, and JSON string
// literals as encoding/json writes them. One place, so every message and JSON text agrees.
#ifndef RKT_BASE_QUOTE_HPP
#define RKT_BASE_QUOTE_HPP

#include <string>
#include <string_view>

namespace rkt {

namespace quote_detail {
inline void appendHex(std::string& out, const char* prefix, unsigned value, int digits) {
  static const char kHex[] = "0123456789abcdef";
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out.push_back(kHex[(value >> shift) & 0xf]);
  }
}

/// The escape for the characters both notations share, or nullptr.
inline const char* commonEscape(unsigned char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      return nullptr;
  }
}
}  // namespace quote_detail

/// Go's `%q` for the strings rkt quotes in its messages ("name \"x\"", control bytes as `\x1b`).
/// Bytes >= 0x80 pass through (Go keeps valid UTF-8 as is).
inline std::string goQuote(std::string_view s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (const char* e = quote_detail::commonEscape(c)) {
      out += e;
    } else if (c < 0x20 || c == 0x7f) {
      quote_detail::appendHex(out, "\\x", c, 2);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

enum class JsonEscape {
  kPlain,     ///< only what JSON requires
  kHtmlSafe,  ///< also `<`, `>`, `&`, U+2028 and U+2029, as Go's json.Marshal does
};

/// A JSON string literal for `s`, quotes included.
inline std::string jsonQuote(std::string_view s, JsonEscape mode = JsonEscape::kPlain) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool html = mode == JsonEscape::kHtmlSafe;
    if (const char* e = quote_detail::commonEscape(c)) {
      out += e;
    } else if (c < 0x20 || (html && (c == '<' || c == '>' || c == '&'))) {
      quote_detail::appendHex(out, "\\u", c, 4);
    } else if (html && c == 0xe2 && i + 2 < s.size() &&
               static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

}  // namespace rkt

#endif
