// `rkt export [--app=NAME] [--overwrite] UUID OUTPUT.aci` (rkt-notes §1.18): an exited pod's
// app, with the changes it made to its rootfs, as a new ACI.
#include <ostream>
#include <string>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/core/pod/export.hpp"

namespace rkt::cli {
namespace {

class ExportCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--app", app_, "name of the app to export within the specified pod");
    addBoolFlag(app, "--overwrite", overwrite_, "overwrite output ACI");
  }

  int run(Invocation& inv) override {
    if (inv.args.size() != 2)
      return inv.usageError();
    const std::string& output = inv.args[1];
    const size_t slash = output.rfind('/');
    const size_t dot = output.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash) ||
        output.substr(dot) != ".aci") {
      return inv.fail("extension must be .aci (given " + output + ")");
    }
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<pod::Pod> pod = pod::openPod(engine->podDirs(), inv.args[0]);
    if (!pod)
      return inv.fail(pod.error().wrap("problem retrieving pod"));
    if (pod->state() != pod::State::Exited && pod->state() != pod::State::ExitedGarbage)
      return inv.fail("pod is not exited. Only exited pods can be exported");
    Result<std::string> app = chooseApp(inv, *pod, app_, "export", true);
    if (!app)
      return inv.fail(app.error().wrap("unable to find app"));
    Status s =
        pod::exportApp(*pod, *app, pod::ExportOptions{output, overwrite_, engine->dataDir()});
    if (!s)
      return inv.fail(s.error());
    return kExitOk;
  }

 private:
  std::string app_;
  bool overwrite_ = false;
};

}  // namespace

extern const CommandSpec kExportCommand =
    CommandSpec("export", "Export an app from an exited pod to an ACI file")
        .runs<ExportCommand>()
        .withUsage("[--app=APPNAME] UUID OUTPUT_ACI_FILE")
        .withDescription("UUID should be the uuid of an exited pod.")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
