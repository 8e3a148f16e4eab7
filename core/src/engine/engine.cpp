// The engine's context: configuration, data directory, plugin registry and store, each set up
// once (the registry and store on first use, so that a command that needs only the pod tree
// loads no plugin).
#include "rkt/core/engine.hpp"

#include <utility>

#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/plugin/search_path.hpp"

namespace rkt {

struct Engine::State {
  EngineOptions options;
  config::Config config;
  std::string dataDir;
  pod::PodDirs dirs{""};
  std::unique_ptr<plugin::PluginRegistry> registry;
  std::optional<image::StoreClient> store;
};

Result<Engine> Engine::open(EngineOptions options) {
  plugin::setPluginDebugLogging(options.debug);
  Result<config::Config> config = config::loadConfig(options.configDirs);
  if (!config)
    return config.error().wrap("cannot get configuration");
  Result<std::string> dataDir = config::resolveDataDir(*config, options.dataDir);
  if (!dataDir)
    return dataDir.error().wrap("cannot get the data directory");
  auto state = std::make_unique<State>();
  state->options = std::move(options);
  state->config = std::move(*config);
  state->dataDir = std::move(*dataDir);
  state->dirs = pod::PodDirs(state->dataDir);
  return Engine(std::move(state));
}

Engine::Engine(std::unique_ptr<State> state) : state_(std::move(state)) {}
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;
Engine::~Engine() = default;

const EngineOptions& Engine::options() const {
  return state_->options;
}

const config::Config& Engine::config() const {
  return state_->config;
}

const std::string& Engine::dataDir() const {
  return state_->dataDir;
}

const pod::PodDirs& Engine::podDirs() const {
  return state_->dirs;
}

plugin::PluginRegistry& Engine::registry() {
  if (!state_->registry) {
    state_->registry = std::make_unique<plugin::PluginRegistry>(
        plugin::defaultSearchPath(state_->config.paths.plugins));
  }
  return *state_->registry;
}

Status Engine::openStore() {
  if (state_->store)
    return {};
  plugin::PluginRegistry& plugins = registry();
  log(LogKind::kDebug, "data directory: " + state_->dataDir);
  Result<image::StoreClient> store = image::StoreClient::open(plugins, state_->dataDir);
  if (!store)
    return store.error().wrap("cannot open store");
  state_->store.emplace(std::move(*store));
  return {};
}

const image::StoreClient& Engine::store() const {
  return *state_->store;
}

void Engine::log(LogKind kind, const std::string& line) const {
  if (kind == LogKind::kDebug && !state_->options.debug)
    return;
  if (state_->options.log)
    state_->options.log(kind, line);
}

}  // namespace rkt
