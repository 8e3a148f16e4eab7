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
  std::string installDir;     ///< the compiled-in install directory (RKT_INSTALL_PLUGIN_DIR)
};

/// The directories to search, first match wins: every RKT_PLUGIN_PATH entry in order, then the
/// paths.d directory, then <executableDir>/../lib/rkt/plugins (the build tree when rkt runs
/// from it, the installed tree otherwise), then the install directory. Entries are made
/// absolute (relative ones against the working directory) and lexically normal; empty entries
/// are dropped and a directory listed twice keeps its first place.
std::vector<std::string> buildSearchPath(const SearchPathSources& sources);

/// buildSearchPath() from the environment (RKT_PLUGIN_PATH), the location of the running
/// executable, the compiled-in install directory and the given paths.d directory ("" = none).
std::vector<std::string> defaultSearchPath(const std::string& configPluginDir = "");

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_SEARCH_PATH_HPP
