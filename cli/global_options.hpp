// rkt's global (persistent) flags, accepted before or after the command name (rkt-notes §1.2).
#ifndef RKT_CLI_GLOBAL_OPTIONS_HPP
#define RKT_CLI_GLOBAL_OPTIONS_HPP

#include <chrono>
#include <string>

#include "rkt/core/insecure_options.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/trust/http_get.hpp"

namespace CLI {
class App;
}

namespace rkt::cli {

inline constexpr const char* kDefaultDataDir = "/var/lib/rkt";
inline constexpr const char* kDefaultSystemConfigDir = "/usr/lib/rkt";
inline constexpr const char* kDefaultLocalConfigDir = "/etc/rkt";

struct GlobalOptions {
  /// --dir, absolute with symlinks resolved. Meaningful only when dirSet: rkt uses --dir if it was
  /// given, else the `paths` config's `data`, else kDefaultDataDir (resolution is the config
  /// code's job, not the flag parser's).
  std::string dir = kDefaultDataDir;
  bool dirSet = false;
  std::string systemConfigDir = kDefaultSystemConfigDir;  ///< --system-config, absolute
  std::string localConfigDir = kDefaultLocalConfigDir;    ///< --local-config, absolute
  std::string userConfigDir;                              ///< --user-config, absolute or ""
  InsecureOptions insecureOptions;                        ///< --insecure-options
  bool trustKeysFromHttps = false;                        ///< --trust-keys-from-https
  bool debug = false;                                     ///< --debug
  /// --http-stall-timeout: an HTTP transfer (image download, key, discovery page) that receives
  /// no byte for this long fails, naming the URL.
  std::chrono::milliseconds httpStallTimeout = trust::kDefaultHttpStallTimeout;
};

/// Declares the global flags on `app` (CLI11 group kGlobalGroup), bound to `options`. Values are
/// validated while parsing: an unknown insecure option or an empty directory fails the parse.
void addGlobalFlags(CLI::App& app, GlobalOptions& options);

/// The value of --http-stall-timeout: a Go duration ("60s", "1m30s") of at least 1ms.
Result<std::chrono::milliseconds> parseStallTimeout(const std::string& text);

/// Makes `path` absolute against the current directory and lexically clean ("a/../b" -> "/…/b").
/// With resolveSymlinks, an existing path is also resolved to its real path (rkt's
/// filepath.EvalSymlinks on --dir; a missing path is kept as it is). Errors on "".
Result<std::string> absoluteDir(const std::string& path, bool resolveSymlinks);

}  // namespace rkt::cli

#endif  // RKT_CLI_GLOBAL_OPTIONS_HPP
