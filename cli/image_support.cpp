#include "image_support.hpp"

#include <ostream>

#include <CLI/CLI.hpp>

#include "flags.hpp"
#include "global_options.hpp"

namespace rkt::cli {

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
