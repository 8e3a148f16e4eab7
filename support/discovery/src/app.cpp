#include <cctype>

#include "rkt/discovery/discovery.hpp"
#include "rkt/schema/names.hpp"

namespace rkt::discovery {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Go's url.QueryUnescape: %XX and '+' as space; a malformed escape is an error.
Result<std::string> queryUnescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      int hi = i + 1 < s.size() ? hexValue(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hexValue(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Error{"invalid URL escape `" + std::string(s.substr(i, 3)) + "`"};
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string App::toString() const {
  std::string out = name;
  auto version = labels.find("version");
  if (version != labels.end()) {
    out += ":" + version->second;
  }
  for (const auto& [k, v] : labels) {
    if (k != "version") {
      out += "," + k + "=" + v;
    }
  }
  return out;
}

Result<App> parseApp(std::string_view text) {
  // appc rewrites "a:1,b=c" into the query "name=a&version=1&b=c" and parses that.
  std::string query = "name=";
  for (char c : text) {
    if (c == ':') {
      query += ",version=";
    } else {
      query += c;
    }
  }
  std::map<std::string, std::string> values;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find(',', start);
    if (end == std::string::npos) {
      end = query.size();
    }
    std::string_view pair(query.data() + start, end - start);
    start = end + 1;
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    auto key = queryUnescape(pair.substr(0, eq));
    if (!key) {
      return key.error().wrap("invalid image string `" + std::string(text) + "`");
    }
    auto value = queryUnescape(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!value) {
      return value.error().wrap("invalid image string `" + std::string(text) + "`");
    }
    if (!values.emplace(*key, *value).second) {
      return Error{"invalid image string `" + std::string(text) + "`: label `" + *key +
                   "` with multiple values"};
    }
  }
  App app;
  for (auto& [k, v] : values) {
    if (k == "name") {
      app.name = v;
      continue;
    }
    if (Status s = schema::validateAcIdentifier(k); !s) {
      return s.error().wrap("invalid image string `" + std::string(text) + "`");
    }
    app.labels[k] = v;
  }
  if (Status s = schema::validateAcIdentifier(app.name); !s) {
    return s.error().wrap("invalid image string `" + std::string(text) + "`");
  }
  return app;
}

}  // namespace rkt::discovery
