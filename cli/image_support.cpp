#include "image_support.hpp"

#include <ostream>

#include <CLI/CLI.hpp>

#include "flags.hpp"
#include "global_options.hpp"
#include "rkt/base/shorten.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/search_path.hpp"

namespace rkt::cli {

std::optional<ImageContext> openImageContext(const Invocation& inv, const GlobalOptions* global) {
  const GlobalOptions& g = global != nullptr ? *global : inv.global;
  plugin::setPluginDebugLogging(g.debug);
  auto config =
      config::loadConfig(config::Dirs{g.systemConfigDir, g.localConfigDir, g.userConfigDir});
  if (!config) {
    inv.error(config.error().wrap("cannot get configuration").message);
    return std::nullopt;
  }
  auto dataDir = config::resolveDataDir(
      *config, g.dirSet ? std::optional<std::string>(g.dir) : std::optional<std::string>());
  if (!dataDir) {
    inv.error(dataDir.error().wrap("cannot get the data directory").message);
    return std::nullopt;
  }
  ImageContext ctx;
  ctx.config = std::move(*config);
  ctx.dataDir = std::move(*dataDir);
  ctx.registry =
      std::make_unique<plugin::PluginRegistry>(plugin::defaultSearchPath(ctx.config.paths.plugins));
  inv.debug("data directory: " + ctx.dataDir);
  auto store = image::StoreClient::open(*ctx.registry, ctx.dataDir);
  if (!store) {
    inv.error(store.error().wrap("cannot open store").message);
    return std::nullopt;
  }
  ctx.store.emplace(std::move(*store));
  return ctx;
}

CLI::Option* addCheckedFlag(CLI::App& app, const std::string& name, std::string& target,
                            std::function<std::optional<std::string>(const std::string&)> check,
                            const std::string& description) {
  CLI::Option* option = app.add_option(
      name,
      [&target, name, check](const CLI::results_t& results) {
        const std::string& value = results.back();
        if (std::optional<std::string> problem = check(value)) {
          throw CLI::ConversionError("invalid argument \"" + value + "\" for \"" + name +
                                     "\" flag: " + *problem);
        }
        target = value;
        return true;
      },
      description);
  option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  option->default_str(target);
  option->type_name("STRING");
  option->group(kLocalGroup);
  return option;
}

std::optional<util::OutputDir> prepareOutputDir(const Invocation& inv, const std::string& dir,
                                                bool overwrite) {
  auto abs = absoluteDir(dir, false);
  if (!abs) {
    inv.error(abs.error().wrap("error converting output to an absolute path").message);
    return std::nullopt;
  }
  if (overwrite && *abs == "/") {
    inv.error("this would delete your root filesystem. Refusing.");
    return std::nullopt;
  }
  auto out = util::OutputDir::create(*abs, overwrite);
  if (!out) {
    if (out.error().sysErrno == EEXIST) {
      inv.error("output directory exists (try --overwrite)");
    } else {
      inv.error(out.error().wrap("error creating output directory").message);
    }
    return std::nullopt;
  }
  return std::move(*out);
}

int commitOutputDir(const Invocation& inv, util::OutputDir& out) {
  if (Status placed = out.commit(); !placed) {
    if (placed.error().sysErrno == EEXIST) {
      return inv.fail("output directory exists (try --overwrite)");
    }
    return inv.fail(placed.error());
  }
  return kExitOk;
}

void imageLog(const Invocation& inv, const std::string& line) {
  inv.err << "image: " << oneLine(line) << '\n';
}

int removeImages(const Invocation& inv, Engine& engine, const std::vector<std::string>& images,
                 MissingImages missing) {
  Result<RemovedImages> result =
      engine.removeImages(images, missing, [&inv](const std::string& key) {
        inv.out << "successfully removed aci for image: \"" << key << "\"\n";
      });
  if (!result)
    return inv.fail(result.error());
  if (result->removed > 0) {
    inv.error(std::to_string(result->removed) + " image(s) successfully removed");
  }
  if (result->failed + result->stale > 0) {
    if (result->stale > 0) {
      inv.error(std::to_string(result->stale) + " image(s) removed but left some stale files");
    }
    if (result->failed > 0) {
      inv.error(std::to_string(result->failed) + " image(s) cannot be removed");
    }
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rkt::cli
