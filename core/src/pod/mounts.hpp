// Mount table reading behind deletePod's unmountAllUnder (internal).
#ifndef RKT_CORE_SRC_POD_MOUNTS_HPP
#define RKT_CORE_SRC_POD_MOUNTS_HPP

#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/result.hpp"

namespace rkt::pod::mounts {

/// One line of /proc/<pid>/mountinfo (the fields the pod library needs).
struct MountInfo {
  int id = 0;
  int parentId = 0;
  std::string root;        ///< field 4, unescaped
  std::string mountPoint;  ///< field 5, unescaped
  std::string optional;    ///< optional fields ("shared:1 master:2"), space separated
  std::string fsType;
  std::string source;
};

/// Parses mountinfo text; lines that do not have the documented shape are an error.
Result<std::vector<MountInfo>> parseMountInfo(std::string_view text);

/// /proc/self/mountinfo, parsed.
Result<std::vector<MountInfo>> readMountInfo();

/// Decodes the octal escapes (\040 space, \011 tab, \012 newline, \134 backslash) the kernel
/// uses in mountinfo paths.
std::string unescape(std::string_view field);

/// `path` is `root` or below it, comparing whole components ("/a/b" is not below "/a/bc").
bool isAtOrBelow(std::string_view path, std::string_view root);

/// The mounts at or below `root` (an absolute, resolved path), in the order they must be
/// unmounted: deepest mount point first, and among mounts stacked on one point the most
/// recent first.
std::vector<MountInfo> mountsBelow(const std::vector<MountInfo>& table, const std::string& root);

}  // namespace rkt::pod::mounts

#endif  // RKT_CORE_SRC_POD_MOUNTS_HPP
