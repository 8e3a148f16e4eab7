#include "rkt/schema/semver.hpp"

#include <vector>

namespace rkt::schema {
namespace {

bool isDigits(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s) {
    if (c < '0' || c > '9')
      return false;
  }
  return true;
}

bool isIdentChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos)
      return parts;
    start = pos + 1;
  }
}

// A numeric version part: digits, no leading zero, fits 64 bits.
bool parseNumber(std::string_view s, std::uint64_t& out) {
  if (!isDigits(s) || (s.size() > 1 && s[0] == '0'))
    return false;
  out = 0;
  for (char c : s) {
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (out > (UINT64_MAX - d) / 10)
      return false;
    out = out * 10 + d;
  }
  return true;
}

bool validIdentifiers(std::string_view s, bool numericNoLeadingZero) {
  for (std::string_view id : split(s, '.')) {
    if (id.empty())
      return false;
    for (char c : id) {
      if (!isIdentChar(c))
        return false;
    }
    if (numericNoLeadingZero && isDigits(id) && id.size() > 1 && id[0] == '0')
      return false;
  }
  return true;
}

// Pre-release precedence: identifiers compared left to right, numeric ones numerically and below
// alphanumeric ones; a longer list wins when all shared identifiers are equal.
int comparePreRelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty())
    return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);
  auto pa = split(a, '.');
  auto pb = split(b, '.');
  for (size_t i = 0; i < pa.size() && i < pb.size(); ++i) {
    const bool na = isDigits(pa[i]);
    const bool nb = isDigits(pb[i]);
    if (na && nb) {
      if (pa[i].size() != pb[i].size())
        return pa[i].size() < pb[i].size() ? -1 : 1;
    } else if (na != nb) {
      return na ? -1 : 1;
    }
    if (int c = pa[i].compare(pb[i]); c != 0)
      return c < 0 ? -1 : 1;
  }
  if (pa.size() == pb.size())
    return 0;
  return pa.size() < pb.size() ? -1 : 1;
}

}  // namespace

Result<SemVer> SemVer::parse(std::string_view text) {
  auto bad = [&](const char* why) {
    return Error{"`" + std::string(text) + "` is not a semantic version: " + why};
  };
  SemVer v;
  std::string_view rest = text;
  if (size_t plus = rest.find('+'); plus != std::string_view::npos) {
    v.build = std::string(rest.substr(plus + 1));
    rest = rest.substr(0, plus);
    if (!validIdentifiers(v.build, false))
      return bad("bad build metadata");
  }
  if (size_t dash = rest.find('-'); dash != std::string_view::npos) {
    v.preRelease = std::string(rest.substr(dash + 1));
    rest = rest.substr(0, dash);
    if (!validIdentifiers(v.preRelease, true))
      return bad("bad pre-release");
  }
  auto parts = split(rest, '.');
  if (parts.size() != 3)
    return bad("expected MAJOR.MINOR.PATCH");
  if (!parseNumber(parts[0], v.major) || !parseNumber(parts[1], v.minor) ||
      !parseNumber(parts[2], v.patch))
    return bad("version parts must be numbers without leading zeros");
  return v;
}

std::string SemVer::toString() const {
  std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!preRelease.empty())
    s += "-" + preRelease;
  if (!build.empty())
    s += "+" + build;
  return s;
}

int SemVer::compare(const SemVer& o) const {
  if (major != o.major)
    return major < o.major ? -1 : 1;
  if (minor != o.minor)
    return minor < o.minor ? -1 : 1;
  if (patch != o.patch)
    return patch < o.patch ? -1 : 1;
  return comparePreRelease(preRelease, o.preRelease);
}

Status validateAcVersion(std::string_view text) {
  if (text.empty())
    return Error{"must be set"};
  auto v = SemVer::parse(text);
  if (!v)
    return v.error();
  if (v->isZero())
    return Error{"`" + std::string(text) + "` is not allowed: the version must be above 0.0.0"};
  return {};
}

}  // namespace rkt::schema
