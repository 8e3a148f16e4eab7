#include "rkt/support/http/cache_control.hpp"

#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <chrono>
#include <limits>

namespace rkt::http {
namespace {

// A strict decimal (no sign, no leading zero unless "0"), as rkt's parser accepts it.
bool parseSeconds(const std::string& s, int64_t& out) {
  if (s.empty() || s.size() > 18 || (s.size() > 1 && s[0] == '0')) {
    return false;
  }
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

int64_t maxAgeFrom(const std::string& cacheControl) {
  int64_t maxAge = 0;
  Poco::StringTokenizer parts(
      cacheControl, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  for (const std::string& part : parts) {
    std::string attr = part;
    std::string value;
    if (auto eq = part.find('='); eq != std::string::npos) {
      attr = Poco::trim(part.substr(0, eq));
      value = Poco::trim(part.substr(eq + 1));
    }
    attr = Poco::toLower(attr);
    if (attr == "no-store" || attr == "no-cache") {
      return 0;  // forbids reuse outright, even next to a max-age
    }
    if (attr == "max-age") {
      int64_t secs = 0;
      if (parseSeconds(value, secs)) {
        maxAge = secs;
      }
    }
  }
  return maxAge;
}

bool stillFresh(int64_t downloadTimeNs, int64_t maxAge, int64_t now) {
  if (maxAge <= 0 || downloadTimeNs <= 0) {
    return false;
  }
  int64_t elapsedSeconds = (now - downloadTimeNs) / 1000000000;
  return elapsedSeconds >= 0 && elapsedSeconds < maxAge;
}

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace rkt::http
