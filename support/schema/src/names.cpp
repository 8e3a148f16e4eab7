#include "rkt/schema/names.hpp"

namespace rkt::schema {
namespace {

bool isLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool isIdentifierSeparator(char c) {
  return c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}
bool isNameSeparator(char c) {
  return c == '-';
}

using SeparatorFn = bool (*)(char);

bool isValidName(std::string_view s, SeparatorFn sep) {
  if (s.empty() || !isLowerAlnum(s.front()) || !isLowerAlnum(s.back()))
    return false;
  for (char c : s) {
    if (!isLowerAlnum(c) && !sep(c))
      return false;
  }
  return true;
}

// The spec's regex additionally forbids two separators in a row.
bool isSpecName(std::string_view s, SeparatorFn sep) {
  if (!isValidName(s, sep))
    return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (sep(s[i]) && sep(s[i - 1]))
      return false;
  }
  return true;
}

Status explain(std::string_view s, SeparatorFn sep, const char* what, const char* allowed) {
  const std::string head = std::string("invalid ") + what + " `" + std::string(s) + "`: ";
  if (s.empty())
    return Error{std::string("invalid ") + what + ": must not be empty"};
  for (char c : s) {
    if (isLowerAlnum(c) || sep(c))
      continue;
    if (c >= 'A' && c <= 'Z')
      return Error{head + "upper-case letters are not allowed"};
    return Error{head + "only lowercase letters, digits and " + allowed + " are allowed"};
  }
  if (!isLowerAlnum(s.front()) || !isLowerAlnum(s.back()))
    return Error{head + "must start and end with a lowercase letter or digit"};
  return {};
}

Result<std::string> sanitize(std::string_view s, SeparatorFn sep) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    out.push_back(isLowerAlnum(c) || sep(c) ? c : '-');
  }
  size_t b = 0;
  while (b < out.size() && !isLowerAlnum(out[b]))
    ++b;
  size_t e = out.size();
  while (e > b && !isLowerAlnum(out[e - 1]))
    --e;
  if (b == e)
    return Error{"cannot make a name of `" + std::string(s) + "`: no valid character in it"};
  return out.substr(b, e - b);
}

}  // namespace

bool isValidAcIdentifier(std::string_view s) {
  return isValidName(s, isIdentifierSeparator);
}
bool isValidAcName(std::string_view s) {
  return isValidName(s, isNameSeparator);
}
bool isSpecAcIdentifier(std::string_view s) {
  return isSpecName(s, isIdentifierSeparator);
}
bool isSpecAcName(std::string_view s) {
  return isSpecName(s, isNameSeparator);
}

Status validateAcIdentifier(std::string_view s) {
  return explain(s, isIdentifierSeparator, "AC identifier", "`-._~/`");
}

Status validateAcName(std::string_view s) {
  return explain(s, isNameSeparator, "AC name", "`-`");
}

Result<std::string> sanitizeAcName(std::string_view s) {
  return sanitize(s, isNameSeparator);
}
Result<std::string> sanitizeAcIdentifier(std::string_view s) {
  return sanitize(s, isIdentifierSeparator);
}

}  // namespace rkt::schema
