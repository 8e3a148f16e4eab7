#include "path.hpp"

#include <cstdio>

namespace rkt::archive::detail {

CleanPath cleanPath(std::string_view raw) {
  CleanPath out;
  out.absolute = !raw.empty() && raw.front() == '/';
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t slash = raw.find('/', pos);
    if (slash == std::string_view::npos)
      slash = raw.size();
    std::string_view part = raw.substr(pos, slash - pos);
    pos = slash + 1;
    if (part.empty() || part == ".")
      continue;
    if (part == "..") {
      if (out.parts.empty()) {
        out.escapes = true;
      } else {
        out.parts.pop_back();
      }
      continue;
    }
    out.parts.emplace_back(part);
  }
  return out;
}

std::string joinParts(const Parts& parts, std::size_t begin, std::size_t end) {
  if (end > parts.size())
    end = parts.size();
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin)
      out += '/';
    out += parts[i];
  }
  return out;
}

bool hasPrefix(const Parts& parts, const Parts& prefix) {
  if (parts.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (parts[i] != prefix[i])
      return false;
  }
  return true;
}

std::string quoted(std::string_view name) {
  constexpr std::size_t kMax = 160;
  std::string out = "`";
  std::size_t n = 0;
  for (char c : name) {
    if (n++ == kMax) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '`';
  return out;
}

}  // namespace rkt::archive::detail
