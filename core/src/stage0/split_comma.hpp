// Go's strings.Split(s, ","): the comma-separated values of rkt's run/prepare flags
// (--caps-retain, --dns, --seccomp, …). An empty string gives one empty item, as in Go.
#ifndef RKT_CORE_SRC_STAGE0_SPLIT_COMMA_HPP
#define RKT_CORE_SRC_STAGE0_SPLIT_COMMA_HPP

#include <string>
#include <vector>

namespace rkt::stage0 {

inline std::vector<std::string> splitComma(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos)
      return out;
    start = comma + 1;
  }
}

}  // namespace rkt::stage0

#endif  // RKT_CORE_SRC_STAGE0_SPLIT_COMMA_HPP
