#include "image_support.hpp"

#include <map>
#include <ostream>

#include <CLI/CLI.hpp>

#include "flags.hpp"
#include "global_options.hpp"
#include "rkt/base/shorten.hpp"
#include "rkt/core/image/image_string.hpp"
#include "rkt/core/image/resolve.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/search_path.hpp"
#include "rkt/sdk/protocol/image_key.hpp"

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

int removeImages(const Invocation& inv, const image::StoreClient& store,
                 const std::vector<std::string>& images, MissingImages missing) {
  const bool goneIsDone = missing == MissingImages::kGone;
  int errors = 0;
  int staleErrors = 0;
  int done = 0;
  // key -> what the user called it; std::map keeps the removal order stable.
  std::vector<std::string> order;
  std::map<std::string, std::string> names;
  std::map<std::string, int> counter;
  auto note = [&](const std::string& key, const std::string& name) {
    if (names.emplace(key, name).second) {
      order.push_back(key);
    }
    ++counter[key];
  };

  for (const std::string& arg : images) {
    ++errors;
    if (image::looksLikeImageId(arg)) {
      auto key = store.resolveId(arg.substr(0, protocol::store::kImageKeyLength));
      if (!key) {
        inv.error("image ID \"" + arg + "\" not valid: " + key.error().message);
        continue;
      }
      if (!*key) {
        if (goneIsDone) {
          --errors;
          continue;
        }
        inv.error("image ID \"" + arg + "\" doesn't exist");
        continue;
      }
      note(**key, arg);
    } else {
      auto keys = image::keysForName(store, arg);
      if (!keys) {
        inv.error(keys.error().message);
        continue;
      }
      if (keys->empty()) {
        inv.error("image name \"" + arg + "\" not found");
        continue;
      }
      errors += static_cast<int>(keys->size()) - 1;
      for (const std::string& key : *keys) {
        note(key, arg);
      }
    }
  }
  // One error per image at most, however often it was named.
  for (const auto& [key, count] : counter) {
    if (count > 1) {
      errors -= count - 1;
    }
  }

  for (const std::string& key : order) {
    bool notFound = false;
    Status st = store.remove(key, goneIsDone ? &notFound : nullptr);
    if (notFound) {
      --errors;
      continue;
    }
    if (!st) {
      if (st.error().message.find("stale") != std::string::npos) {
        ++staleErrors;
        inv.error("some files cannot be removed for image \"" + key + "\" (\"" + names[key] +
                  "\"): " + st.error().message);
      } else {
        inv.error("error removing aci for image \"" + key + "\" (\"" + names[key] +
                  "\"): " + st.error().message);
        continue;
      }
    }
    inv.out << "successfully removed aci for image: \"" << key << "\"\n";
    --errors;
    ++done;
  }

  if (done > 0) {
    inv.error(std::to_string(done) + " image(s) successfully removed");
  }
  if (errors + staleErrors > 0) {
    if (staleErrors > 0) {
      inv.error(std::to_string(staleErrors) + " image(s) removed but left some stale files");
    }
    if (errors > 0) {
      inv.error(std::to_string(errors) + " image(s) cannot be removed");
    }
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rkt::cli
