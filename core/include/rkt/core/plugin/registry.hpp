// The plugin registry: finds plugin files, loads them through the ABI gate, and keeps the
// factories they register, keyed by (kind, name).
//
//   PluginRegistry registry(defaultSearchPath(config.pluginDir));
//   Result<Factory> f = registry.get(RKT_KIND_FETCHER, "docker");   // opens fetcher-docker.so
//   Result<Instance> i = f->create("{}");
//
// A command loads only the plugin it needs (get); `rkt plugins list` loads all (scanAll);
// installed(kind) says what could be loaded without loading anything.
// Each file is opened at most once per registry. Not thread-safe.
#ifndef RKT_CORE_PLUGIN_REGISTRY_HPP
#define RKT_CORE_PLUGIN_REGISTRY_HPP

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rkt/abi/plugin.h"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/plugin/report.hpp"
#include "rkt/core/result.hpp"

namespace rkt::plugin {

struct LoaderOptions {
  /// Refuse files in directories that are not root-owned or are world-writable (and such
  /// files themselves). On by default when running as root, where a writable plugin directory
  /// would hand root to whoever can write it.
  bool checkOwnership;

  /// Options for the current process: checkOwnership when the effective uid is 0.
  static LoaderOptions forCurrentProcess();
};

class PluginRegistry {
 public:
  /// `searchPath`: directories in precedence order (see buildSearchPath()).
  explicit PluginRegistry(std::vector<std::string> searchPath,
                          LoaderOptions options = LoaderOptions::forCurrentProcess());
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  const std::vector<std::string>& searchPath() const;

  /// The factory (kind, name). Unless it is registered already, opens exactly one file: the
  /// first <kind>-<name>.so in the search path (later ones are never tried, even when the
  /// first is refused). Fails when there is none, when that file is refused (the message
  /// carries the refusal reason), or when it loads but the factory is not among its
  /// registrations.
  Result<Factory> get(rkt_kind kind, const std::string& name);

  /// The factory (kind, name) if some file loaded so far registered it; never opens files.
  std::optional<Factory> find(rkt_kind kind, const std::string& name) const;

  /// The <name> of every `<kind>-<name>.so` file in the search path, sorted, each once: what
  /// get(kind, name) can try to open. Opens nothing, so a listed plugin may still be refused.
  std::vector<std::string> installed(rkt_kind kind) const;

  /// Opens every *.so file in every search directory (directories in order, files by name)
  /// and reports on each. A file whose name was already found in an earlier directory is not
  /// opened and is reported as shadowed. Files opened earlier (by get) are not reopened.
  std::vector<PluginReport> scanAll();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rkt::plugin

#endif  // RKT_CORE_PLUGIN_REGISTRY_HPP
