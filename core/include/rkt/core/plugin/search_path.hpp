// Where rkt looks for plugin files (<kind>-<name>.so), in precedence order.
#ifndef RKT_CORE_PLUGIN_SEARCH_PATH_HPP
#define RKT_CORE_PLUGIN_SEARCH_PATH_HPP

#include <string>
#include <vector>

namespace rkt::plugin {

/// The inputs of the search path. Empty strings are absent sources.
struct SearchPathSources {
  std::string envPath;        ///< value of RKT_PLUGIN_PATH: directories separated by ':'
  std::string configDir;      ///< the `plugins` directory from paths.d
  std::string executableDir;  ///< directory holding the running rkt binary
};

/// The directories to search, first match wins: every RKT_PLUGIN_PATH entry in order, then the
/// paths.d directory, then <executableDir>/../<RKT_PLUGIN_SUBDIR> (e.g.
/// /usr/lib/x86_64-linux-gnu/rkt/plugins for /usr/bin/rkt; the build tree's plugin directory
/// when rkt runs from there). No absolute directory is compiled in, so an installed tree works
/// under any prefix. Entries are made absolute (relative ones against the working directory)
/// and lexically normal; empty entries are dropped and a directory listed twice keeps its first
/// place.
std::vector<std::string> buildSearchPath(const SearchPathSources& sources);

/// buildSearchPath() from the environment (RKT_PLUGIN_PATH), the location of the running
/// executable and the given paths.d directory ("" = none).
std::vector<std::string> defaultSearchPath(const std::string& configPluginDir = "");

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_SEARCH_PATH_HPP
