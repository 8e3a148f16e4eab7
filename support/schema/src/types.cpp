// Name/value lists (labels, annotations, environment), dates, URLs and image IDs.
#include "rkt/schema/types.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <set>

#include "field_path.hpp"
#include "rkt/schema/names.hpp"
#include "rkt/schema/os_arch.hpp"

namespace rkt::schema {

using detail::childPath;
using detail::fieldError;
using detail::indexPath;
using detail::quote;

std::optional<std::string> findValue(const std::vector<NameValue>& list, std::string_view name) {
  for (const auto& nv : list) {
    if (nv.name == name)
      return nv.value;
  }
  return std::nullopt;
}

void setValue(std::vector<NameValue>& list, std::string_view name, std::string value) {
  for (auto& nv : list) {
    if (nv.name == name) {
      nv.value = std::move(value);
      return;
    }
  }
  list.push_back(NameValue{std::string(name), std::move(value)});
}

bool removeValue(std::vector<NameValue>& list, std::string_view name) {
  const size_t before = list.size();
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const NameValue& nv) { return nv.name == name; }),
             list.end());
  return list.size() != before;
}

bool labelsMatch(const Labels& have, const Labels& wanted) {
  for (const auto& w : wanted) {
    auto v = findValue(have, w.name);
    if (!v || *v != w.value)
      return false;
  }
  return true;
}

Annotations mergeAnnotations(const Annotations& base, const Annotations& over) {
  Annotations out = base;
  for (const auto& a : over)
    setValue(out, a.name, a.value);
  return out;
}

namespace {

// Names are AC Identifiers and unique; shared by labels and annotations.
Status validateNames(const std::vector<NameValue>& list, std::string_view field,
                     std::string_view what) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string at = childPath(indexPath(field, i), "name");
    RKT_SCHEMA_CHECK(detail::atField(at, validateAcIdentifier(list[i].name)));
    if (!seen.insert(list[i].name).second)
      return fieldError(at, "duplicate " + std::string(what) + " " + quote(list[i].name));
  }
  return {};
}

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos`.
bool readDigits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size())
    return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!isDigit(s[pos + i]))
      return false;
    out = out * 10 + (s[pos + i] - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c)
    return false;
  ++pos;
  return true;
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool isRfc3339(std::string_view s) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!readDigits(s, pos, 4, year) || !expect(s, pos, '-') || !readDigits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !readDigits(s, pos, 2, day) || !expect(s, pos, 'T') ||
      !readDigits(s, pos, 2, hour) || !expect(s, pos, ':') || !readDigits(s, pos, 2, minute) ||
      !expect(s, pos, ':') || !readDigits(s, pos, 2, second))
    return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59)
    return false;
  if (pos < s.size() && s[pos] == '.') {
    const size_t start = ++pos;
    while (pos < s.size() && isDigit(s[pos]))
      ++pos;
    if (pos == start)
      return false;
  }
  if (pos < s.size() && s[pos] == 'Z')
    return pos + 1 == s.size();
  int offHour, offMinute;
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-'))
    return false;
  ++pos;
  return readDigits(s, pos, 2, offHour) && expect(s, pos, ':') &&
         readDigits(s, pos, 2, offMinute) && pos == s.size() && offHour < 24 && offMinute < 60;
}

bool isLowerHex(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f');
}

}  // namespace

Status validateLabels(const Labels& labels, std::string_view field) {
  RKT_SCHEMA_CHECK(validateNames(labels, field, "label"));
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i].name == "name")
      return fieldError(childPath(indexPath(field, i), "name"),
                        "a label may not be called `name` (the image name is not a label)");
  }
  return detail::atField(field, validateOsArchLabels(labels));
}

Status validateAnnotations(const Annotations& annotations, std::string_view field) {
  RKT_SCHEMA_CHECK(validateNames(annotations, field, "annotation"));
  for (size_t i = 0; i < annotations.size(); ++i) {
    const auto& a = annotations[i];
    const std::string at = childPath(indexPath(field, i), "value");
    if (a.name == kAnnotationCreated)
      RKT_SCHEMA_CHECK(detail::atField(at, validateRfc3339(a.value)));
    if (a.name == kAnnotationHomepage || a.name == kAnnotationDocumentation)
      RKT_SCHEMA_CHECK(detail::atField(at, validateHttpUrl(a.value)));
  }
  return {};
}

bool isValidEnvironmentName(std::string_view name) {
  if (name.empty() || isDigit(name[0]) || name[0] == '.' || name[0] == '-')
    return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' ||
                    c == '.' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}

Status validateEnvironment(const Environment& env, std::string_view field) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < env.size(); ++i) {
    const std::string at = childPath(indexPath(field, i), "name");
    if (!isValidEnvironmentName(env[i].name))
      return fieldError(at, "invalid environment variable name " + quote(env[i].name) +
                                " (must match [A-Za-z_][A-Za-z_0-9.-]*)");
    if (!seen.insert(env[i].name).second)
      return fieldError(at, "duplicate environment variable " + quote(env[i].name));
  }
  return {};
}

Status validateRfc3339(std::string_view text) {
  if (!isRfc3339(text))
    return Error{"invalid date " + quote(text) +
                 ": must be RFC 3339, like 2014-10-27T19:32:27.67021798Z"};
  return {};
}

Status validateHttpUrl(std::string_view text) {
  try {
    Poco::URI uri{std::string(text)};
    if (uri.getScheme() != "http" && uri.getScheme() != "https")
      return Error{"invalid URL " + quote(text) + ": the scheme must be http or https"};
  } catch (const Poco::Exception& e) {
    return Error{"invalid URL " + quote(text) + ": " + e.message()};
  }
  return {};
}

Status validateImageId(std::string_view id) {
  if (id.substr(0, kImageIdPrefix.size()) != kImageIdPrefix)
    return Error{"invalid image ID " + quote(id) + ": must start with `sha512-`"};
  const std::string_view hex = id.substr(kImageIdPrefix.size());
  if (hex.empty() || hex.size() > 128)
    return Error{"invalid image ID " + quote(id) +
                 ": `sha512-` must be followed by 1 to 128 hex digits"};
  for (char c : hex) {
    if (!isLowerHex(c))
      return Error{"invalid image ID " + quote(id) +
                   ": only lowercase hex digits may follow `sha512-`"};
  }
  return {};
}

std::string shortImageId(std::string_view id) {
  constexpr size_t kShortLength = 39;  // "sha512-" + 32 hex digits
  return std::string(id.substr(0, kShortLength));
}

}  // namespace rkt::schema
