// `rkt config [--pretty-print=true]` (rkt-notes §1.20): the merged stage0 configuration as JSON.
#include <ostream>

#include "command.hpp"
#include "flags.hpp"
#include "global_options.hpp"
#include "rkt/core/config.hpp"

namespace rkt::cli {
namespace {

class ConfigCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addBoolFlag(app, "--pretty-print", prettyPrint_, "apply indent to format the output");
  }

  int run(Invocation& inv) override {
    const GlobalOptions& g = inv.global;
    auto config =
        config::loadConfig(config::Dirs{g.systemConfigDir, g.localConfigDir, g.userConfigDir});
    if (!config) {
      return inv.fail(config.error().wrap("cannot get configuration"));
    }
    inv.out << config::toJson(*config, prettyPrint_) << '\n';
    return kExitOk;
  }

 private:
  bool prettyPrint_ = true;
};

}  // namespace

extern const CommandSpec kConfigCommand =
    CommandSpec("config", "Print configuration for each stage in JSON format")
        .runs<ConfigCommand>()
        .completes(ArgCompletion::kNothing)
        .withDescription(
            "The output will be parsable JSON with configuration specified for each stage.\n"
            "Entries are printed per auth domain and per docker registry, sorted, followed by\n"
            "the paths and stage1 entries (see docs/configuration.md).");

}  // namespace rkt::cli
