// The engine's context: configuration, data directory, plugin registry, store, keystore, each
// set up once (the registry, store and keystore on first use, so that a command that needs
// only the pod tree loads no plugin).
#include "rkt/core/engine.hpp"

#include <utility>

#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/plugin/search_path.hpp"
#include "rkt/core/pod/layout.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/core/stage1/stage1_client.hpp"
#include "rkt/core/trust/keystore.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt {

struct Engine::State {
  EngineOptions options;
  config::Config config;
  std::string dataDir;
  pod::PodDirs dirs{""};
  std::unique_ptr<plugin::PluginRegistry> registry;
  std::optional<image::StoreClient> store;
  std::unique_ptr<trust::Keystore> keystore;
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

Result<std::unique_ptr<image::Finder>> Engine::imageFinder(const FindOptions& find) {
  if (Status s = openStore(); !s)
    return s.error();
  const EngineOptions& o = state_->options;
  image::FinderOptions options;
  options.pullPolicy = find.pullPolicy;
  options.insecure = o.insecure;
  options.config = &state_->config;
  // rkt opens no keystore at all when image checks are off.
  if (!o.insecure.skipImageCheck()) {
    if (!state_->keystore) {
      state_->keystore = std::make_unique<trust::Keystore>(
          trust::KeystoreDirs::fromConfigDirs(o.configDirs.system, o.configDirs.local));
    }
    options.keystore = state_->keystore.get();
  }
  options.trustKeysFromHttps = o.trustKeysFromHttps;
  options.debug = o.debug;
  options.httpStallTimeout = o.httpStallTimeout;
  options.withDeps = find.withDeps;
  options.trustedLocation = find.trustedLocation;
  options.render = find.render;
  options.log = [this](const std::string& line) { log(LogKind::kImage, line); };
  options.debugLog = options.log;
  return std::make_unique<image::Finder>(*state_->store, registry(), std::move(options));
}

Result<std::unique_ptr<stage1::Stage1>> Engine::stage1ForPod(const pod::Pod& pod, bool runFollows) {
  Result<std::string> flavor = stage1::stage1ForPod(pod);
  if (!flavor)
    return flavor.error();
  std::string config = stage1::stage1Config(runFollows);
  if (*flavor == stage1::kImageFlavor) {
    Result<std::string> manifest = posix::readFileAt(pod.dirFd(), pod::layout::kStage1Manifest);
    if (!manifest)
      return manifest.error().wrap("cannot read the stage1 manifest of pod `" + pod.uuid().str() +
                                   "`");
    config = stage1::stage1Config(runFollows, *manifest);
  }
  Result<std::unique_ptr<stage1::Stage1>> s1 = openStage1(*flavor, config);
  if (s1)
    log(LogKind::kDebug, "pod " + pod.uuid().str() + " uses stage1 `" + (*s1)->flavor() + "`");
  return s1;
}

Result<std::unique_ptr<stage1::Stage1>> Engine::openStage1(const std::string& flavor,
                                                           const std::string& configJson) {
  if (state_->options.openStage1)
    return state_->options.openStage1(registry(), flavor);
  Result<stage1::Stage1Client> client = stage1::Stage1Client::open(registry(), flavor, configJson);
  if (!client)
    return client.error();
  return std::unique_ptr<stage1::Stage1>(
      std::make_unique<stage1::Stage1Client>(std::move(*client)));
}

void Engine::log(LogKind kind, const std::string& line) const {
  if (kind == LogKind::kDebug && !state_->options.debug)
    return;
  if (state_->options.log)
    state_->options.log(kind, line);
}

void Engine::flushOutput() const {
  if (state_->options.flush)
    state_->options.flush();
}

}  // namespace rkt
