// Lexical handling of archive member names (internal). Security never rests on these alone:
// the tree writer resolves every path from the target's descriptor without following symlinks.
#ifndef RKT_SUPPORT_ARCHIVE_SRC_PATH_HPP
#define RKT_SUPPORT_ARCHIVE_SRC_PATH_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rkt::archive::detail {

using Parts = std::vector<std::string>;

/// A member name split into components: empty and `.` components dropped, `..` applied
/// lexically (as Go's filepath.Clean); a leading `/` is ignored, as tar does.
struct CleanPath {
  Parts parts;
  bool absolute = false;  ///< the raw name started with `/`
  bool escapes = false;   ///< a `..` climbed above the start
};

CleanPath cleanPath(std::string_view raw);

/// parts[begin, end) joined with `/`.
std::string joinParts(const Parts& parts, std::size_t begin = 0,
                      std::size_t end = std::string::npos);

/// True when `parts` starts with all of `prefix`.
bool hasPrefix(const Parts& parts, const Parts& prefix);

/// A name for messages: backquoted, cut to a readable length, control characters escaped.
std::string quoted(std::string_view name);

}  // namespace rkt::archive::detail

#endif  // RKT_SUPPORT_ARCHIVE_SRC_PATH_HPP
