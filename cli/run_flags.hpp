// The flags of `rkt run`, `rkt prepare` and `rkt run-prepared` (rkt-notes §1.6–1.9), and rkt's
// image/app argument grammar (§1.5):
//
//   rkt run [pod flags] [--mount …] IMAGE [per-app flags] [-- ARGS… [---]] [IMAGE …]
//
// One table describes every flag once: CLI11 parses the flags before the first image (the
// dispatcher's kRawArgs mode) and parseAppArgs() parses the rest with the same setters, so a
// flag behaves the same wherever it appears. Per-app flags apply to the preceding image (before
// any image they fail with "--exec must follow an image", except --mount, which then applies to
// every app); pod flags may appear between images too, as in rkt.
#ifndef RKT_CLI_RUN_FLAGS_HPP
#define RKT_CLI_RUN_FLAGS_HPP

#include <string>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/core/stage0/app_list.hpp"
#include "rkt/core/stage0/dns.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/schema/types.hpp"

namespace CLI {
class App;
}

namespace rkt::cli {

/// Which command a flag belongs to (bit mask).
enum RunCommandKind : unsigned {
  kForRun = 1u << 0,
  kForPrepare = 1u << 1,
  kForRunPrepared = 1u << 2,
};

/// Everything the three commands' flags and arguments set.
struct RunFlags {
  stage1::Stage1Flags stage1;
  std::vector<schema::ExposedPort> ports;  ///< --port NAME:[HOSTIP:]HOSTPORT
  std::string net = "default";             ///< --net (fly ignores it)
  bool netGiven = false;
  stage0::DnsFlags dns;
  std::string hostname;
  bool interactive = false;
  bool inheritEnv = false;
  bool privateUsers = false;
  bool noOverlay = false;
  bool mdsRegister = false;
  bool storeOnly = false;
  bool noStore = false;
  bool quiet = false;
  schema::Environment setEnv;      ///< --set-env
  schema::Environment setEnvFile;  ///< --set-env-file contents
  std::string podManifest;
  std::string uuidFileSave;
  std::string pullPolicy = "new";
  bool pullPolicyGiven = false;
  std::string ipc;
  stage0::AppList apps;  ///< images, per-app flags, --volume, pod-wide --mount
};

/// Declares the flags of the command `which` on `app`, bound to `flags`.
void addRunFlags(CLI::App& app, RunFlags& flags, RunCommandKind which);

/// Parses the arguments from the first image on (Invocation::args of a kRawArgs command).
/// Errors are pflag's ("unknown flag: --x", "flag needs an argument: --exec",
/// `invalid argument "v" for "--memory" flag: …`) or the grammar's ("an image is required
/// before any app arguments", "only one set of app arguments allowed per image").
/// With `globalFlags` (an App declaring only rkt's global flags, see makeGlobalFlagsApp()), global
/// flags among the images are parsed into what it is bound to, as rkt accepts them there.
Status parseAppArgs(const std::vector<std::string>& args, RunFlags& flags, RunCommandKind which,
                    CLI::App* globalFlags = nullptr);

}  // namespace rkt::cli

#endif  // RKT_CLI_RUN_FLAGS_HPP
