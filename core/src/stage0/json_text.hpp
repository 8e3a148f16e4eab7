// A JSON string literal for `s` (quotes and escapes), for the small JSON texts stage0 builds.
#ifndef RKT_CORE_STAGE0_JSON_TEXT_HPP
#define RKT_CORE_STAGE0_JSON_TEXT_HPP

#include <cstdio>
#include <string>
#include <string_view>

namespace rkt::stage0 {

inline std::string jsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_JSON_TEXT_HPP
