// `rkt enter [--app=NAME] UUID [CMD [ARGS...]]` (rkt-notes §1.11): runs a command inside an app
// of a running pod through the pod's stage1 (`enter` op). The exit status is the command's.
#include <unistd.h>

#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "engine_support.hpp"
#include "flags.hpp"
#include "pod_support.hpp"
#include "rkt/core/pod/wait.hpp"

namespace rkt::cli {
namespace {

constexpr const char* kDefaultCommand = "/bin/bash";

class EnterCommand : public Command {
 public:
  void addFlags(CLI::App& app) override {
    addStringFlag(app, "--app", app_, "name of the app to enter within the specified pod");
  }

  int run(Invocation& inv) override {
    if (inv.args.empty())
      return inv.usageError();
    std::optional<Engine> engine = openEngine(inv);
    if (!engine)
      return kExitFailure;
    Result<pod::Pod> pod = pod::openPod(engine->podDirs(), inv.args.front());
    if (!pod)
      return inv.fail(pod.error().wrap("problem retrieving pod"));
    if (pod->state() != pod::State::Running)
      return inv.fail("pod " + quotedUuid(pod->uuid()) + " isn't currently running");

    Result<pid_t> pid = pod::waitPid1(*pod, pod::kWaitForever);
    if (!pid) {
      return inv.fail(
          pid.error().wrap("unable to determine the pid for pod " + quotedUuid(pod->uuid())));
    }
    Result<std::string> app = chooseApp(inv, *pod, app_, "enter", false);
    if (!app)
      return inv.fail(app.error().wrap("unable to determine app name"));

    std::vector<std::string> command(inv.args.begin() + 1, inv.args.end());
    if (command.empty()) {
      inv.error(std::string("no command specified, assuming \"") + kDefaultCommand + "\"");
      command.push_back(kDefaultCommand);
    }
    Result<int> status =
        engine->enter(*pod, EnterOptions{*pid, *app, command, ::isatty(STDIN_FILENO) == 1});
    if (!status)
      return inv.fail(status.error().wrap("enter failed"));
    return *status;
  }

 private:
  std::string app_;
};

}  // namespace

extern const CommandSpec kEnterCommand =
    CommandSpec("enter", "Enter the namespaces of an app within a rkt pod")
        .runs<EnterCommand>()
        .withTraits(kNeedsRoot | kRawArgs)
        .withUsage("[--app=APPNAME] UUID [CMD [ARGS ...]]")
        .withDescription(
            "UUID should be the UUID of a running pod.\n"
            "\n"
            "By default the CMD that is run is /bin/bash, providing the user with shell\n"
            "access to the running pod.")
        .completes(ArgCompletion::kPods);

}  // namespace rkt::cli
