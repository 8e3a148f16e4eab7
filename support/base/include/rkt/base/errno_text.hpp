// errno as message text in the house style ("no such file or directory").
#ifndef RKT_BASE_ERRNO_TEXT_HPP
#define RKT_BASE_ERRNO_TEXT_HPP

#include <cctype>
#include <cstring>
#include <string>

namespace rkt {

/// strerror(err) with a lowercase first letter, unless it starts an acronym.
inline std::string errnoText(int err) {
  std::string s = std::strerror(err);
  if (s.size() > 1 && !std::isupper(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

}  // namespace rkt

#endif  // RKT_BASE_ERRNO_TEXT_HPP
