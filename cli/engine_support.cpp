#include "engine_support.hpp"

#include <iostream>
#include <ostream>

#include "global_options.hpp"
#include "rkt/base/shorten.hpp"
#include "rkt/core/image/resolve.hpp"

namespace rkt::cli {

EngineOptions engineOptions(const Invocation& inv, const GlobalOptions& global) {
  EngineOptions options;
  options.configDirs =
      config::Dirs{global.systemConfigDir, global.localConfigDir, global.userConfigDir};
  if (global.dirSet)
    options.dataDir = global.dir;
  options.insecure = global.insecureOptions;
  options.trustKeysFromHttps = global.trustKeysFromHttps;
  options.debug = global.debug;
  options.httpStallTimeout = global.httpStallTimeout;
  options.log = [&inv](LogKind kind, const std::string& line) {
    if (kind == LogKind::kImage)
      inv.err << "image: " << oneLine(line) << '\n';
    else
      inv.error(line);  // kDebug lines come only with --debug
  };
  // A stage1 may replace the process: what is buffered must be out first.
  options.flush = [&inv]() {
    inv.out.flush();
    inv.err.flush();
    std::cout.flush();
    std::cerr.flush();
  };
  return options;
}

std::optional<Engine> openEngine(const Invocation& inv, const GlobalOptions* global) {
  Result<Engine> engine = Engine::open(engineOptions(inv, global ? *global : inv.global));
  if (!engine) {
    inv.error(engine.error().message);
    return std::nullopt;
  }
  return std::move(*engine);
}

std::optional<Engine> openEngineWithStore(const Invocation& inv, const GlobalOptions* global) {
  std::optional<Engine> engine = openEngine(inv, global);
  if (!engine)
    return std::nullopt;
  if (Status s = engine->openStore(); !s) {
    inv.error(s.error().message);
    return std::nullopt;
  }
  return engine;
}

std::optional<StoredImage> openStoredImage(const Invocation& inv, const std::string& arg) {
  std::optional<Engine> engine = openEngineWithStore(inv);
  if (!engine)
    return std::nullopt;
  Result<std::string> key = image::resolveImageArg(engine->store(), arg);
  if (!key) {
    inv.error(key.error().message);
    return std::nullopt;
  }
  return StoredImage{std::move(*engine), std::move(*key)};
}

}  // namespace rkt::cli
