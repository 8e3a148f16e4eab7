// errno as message text in the house style ("no such file or directory").
#ifndef RKT_PLUGINS_ACI_ARCHIVE_SYS_ERROR_HPP
#define RKT_PLUGINS_ACI_ARCHIVE_SYS_ERROR_HPP

#include <cctype>
#include <cstring>
#include <string>

namespace rkt::aciarchive {

/// strerror(err) with a lowercase first letter, unless it starts an acronym.
inline std::string errnoText(int err) {
  std::string s = std::strerror(err);
  if (s.size() > 1 && !std::isupper(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

}  // namespace rkt::aciarchive

#endif  // RKT_PLUGINS_ACI_ARCHIVE_SYS_ERROR_HPP
