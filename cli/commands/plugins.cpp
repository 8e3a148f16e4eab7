// `rkt plugins list [--format=json|json-pretty] [--no-legend]` (our extension; docs/plugins.md):
// every plugin file in the search path, loaded or refused with its reason. Loading is the check:
// a listed `loaded` plugin passed the same gate a command's plugin passes.
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "flags.hpp"
#include "global_options.hpp"
#include "rkt/core/config.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/plugin/search_path.hpp"
#include "rkt/core/util/tab_writer.hpp"

namespace rkt::cli {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ",") + item;
  }
  return out;
}

std::string orDash(const std::string& s) {
  return s.empty() ? "-" : s;
}

class PluginsListCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--format", format_,
                  "output format: 'json' or 'json-pretty'; empty for a table");
    addBoolFlag(app, "--no-legend", noLegend_, "suppress a legend with the list");
  }

  int run(Invocation& inv) override {
    if (!inv.args.empty()) {
      return inv.usageError("plugins list takes no arguments");
    }
    if (!format_.empty() && format_ != "json" && format_ != "json-pretty") {
      return inv.fail("invalid format `" + format_ + "`: expected json or json-pretty");
    }
    plugin::setPluginDebugLogging(inv.global.debug);

    // The paths.d `plugins` directory joins the search path; a configuration that cannot be
    // read must not hide the plugins, so it only costs that one directory.
    config::Dirs dirs;
    dirs.system = inv.global.systemConfigDir;
    dirs.local = inv.global.localConfigDir;
    dirs.user = inv.global.userConfigDir;
    std::string configDir;
    if (auto config = config::loadConfig(dirs)) {
      configDir = config->paths.plugins;
    } else {
      inv.error("warning: ignoring the paths.d plugin directory: " + config.error().message);
    }

    plugin::PluginRegistry registry(plugin::defaultSearchPath(configDir));
    for (const auto& dir : registry.searchPath()) {
      inv.debug("plugin search path: " + dir);
    }
    std::vector<plugin::PluginReport> reports = registry.scanAll();

    if (!format_.empty()) {
      inv.out << plugin::reportsToJson(reports, format_ == "json-pretty") << '\n';
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    if (!noLegend_) {
      rows.push_back({"NAME", "KINDS", "VERSION", "ABI", "PATH", "STATUS"});
    }
    for (const auto& r : reports) {
      std::string abi =
          r.haveAbi ? std::to_string(r.abiMajor) + "." + std::to_string(r.abiMinor) : "";
      std::string status =
          r.loaded() ? "loaded"
                     : "refused: " + std::string(plugin::refusalName(r.refusal)) + ": " + r.message;
      rows.push_back({plugin::displayName(r), orDash(joined(plugin::displayKinds(r))),
                      orDash(r.version), orDash(abi), r.path, status});
    }
    inv.out << util::formatTabTable(rows);
    return kExitOk;
  }

 private:
  std::string format_;
  bool noLegend_ = false;
};

}  // namespace

extern const CommandSpec kPluginsListCommand =
    CommandSpec("list", "List plugin files and whether they load")
        .runs<PluginsListCommand>()
        .withUsage("[--format=json|json-pretty] [--no-legend]")
        .withDescription(
            "Open every <kind>-<name>.so in the plugin search path (RKT_PLUGIN_PATH, the paths.d\n"
            "`plugins` directory, then the plugin directory installed with rkt,\n"
            "<rkt>/../" RKT_PLUGIN_SUBDIR
            ") and show each one as loaded or refused with its\n"
            "reason. See docs/plugins.md.")
        .completes(ArgCompletion::kNothing);

namespace {
const CommandSpec* const kPluginsSubcommands[] = {&kPluginsListCommand};
}  // namespace

extern const CommandSpec kPluginsCommand =
    CommandSpec("plugins", "Inspect rkt plugins").withSubcommands(kPluginsSubcommands);

}  // namespace rkt::cli
