#include "util/json_indent.hpp"

#include <cctype>

namespace rkt::util {

std::string indentJson(const std::string& json, const std::string& indent) {
  std::string out;
  out.reserve(json.size() * 2);
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  auto newline = [&] {
    out += '\n';
    for (int i = 0; i < depth; ++i) {
      out += indent;
    }
  };
  // The next character after position i that is not whitespace, or '\0'.
  auto nextToken = [&](std::size_t i) {
    for (++i; i < json.size(); ++i) {
      if (!std::isspace(static_cast<unsigned char>(json[i]))) {
        return json[i];
      }
    }
    return '\0';
  };
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (inString) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[': {
        out += c;
        const char close = c == '{' ? '}' : ']';
        if (nextToken(i) == close) {
          // Go keeps empty containers on one line.
          out += close;
          while (json[++i] != close) {
          }
        } else {
          ++depth;
          newline();
        }
        break;
      }
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace rkt::util
