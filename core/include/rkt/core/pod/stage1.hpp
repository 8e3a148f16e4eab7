// The stage1 flavor a pod runs with, and the calls stage0 makes into that flavor's plugin after
// `run` (rkt's enter, stop and gc entrypoints, rkt-notes §3.3; ABI: rkt/abi/stage1.h).
//
//   PluginRegistry registry(defaultSearchPath(config.paths.plugins));
//   Result<std::string> flavor = stage1ForPod(pod);         // "$POD/flavor", else "fly"
//   Result<Stage1Client> s1 = Stage1Client::load(registry, *flavor);
//   Status s = s1->stop({pod.path(), pod.uuid().str(), force});
//
// An op the flavor leaves out (NULL in its ops table, or RKT_E_UNSUPPORTED from the plugin)
// fails with errno ENOTSUP and "`<op>` is not supported by this stage1 (stage1 `<flavor>`)".
#ifndef RKT_CORE_POD_STAGE1_HPP
#define RKT_CORE_POD_STAGE1_HPP

#include <string>
#include <vector>

#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"

namespace rkt::pod {

/// The entry, relative to the pod directory, naming the pod's stage1 flavor (the `<name>` of
/// plugin `stage1-<name>.so`): a symlink whose target is the name, as rkt's own stage1 writes
/// `$POD/flavor`. Written at prepare time; see docs/pod-states.md.
inline constexpr char kStage1FlavorFile[] = "flavor";

/// The flavor of pods whose directory has no kStage1FlavorFile (the build-time default).
const char* defaultStage1Flavor();

/// The pod's stage1 flavor: the target of the kStage1FlavorFile symlink (a regular file's
/// trimmed content is accepted too), or defaultStage1Flavor() when there is none. A flavor that is
/// not a plugin name ([a-z0-9][a-z0-9._-]*) or an unreadable file is an error (EINVAL / the read's
/// errno).
Result<std::string> stage1ForPod(const Pod& pod);

/// The request of the `enter` op.
struct Stage1EnterRequest {
  std::string podDir;
  std::string uuid;
  pid_t pid = 0;  ///< the pod's PID 1 (findPid1 / waitPid1)
  std::string app;
  std::vector<std::string> command;
  bool interactive = false;
};

struct Stage1StopRequest {
  std::string podDir;
  std::string uuid;
  bool force = false;
};

struct Stage1GcRequest {
  std::string podDir;
  std::string uuid;
  bool debug = false;
  std::string localConfig;
};

/// One instance of a stage1 flavor plugin. Move-only; keeps the plugin loaded.
class Stage1Client {
 public:
  /// Loads stage1-<flavor>.so through `registry` and creates an instance. Errors name the
  /// flavor: "cannot load stage1 `<flavor>`: <reason>".
  static Result<Stage1Client> load(plugin::PluginRegistry& registry, const std::string& flavor);

  const std::string& flavor() const { return flavor_; }

  /// The `describe` op's JSON (max_apps, isolation, ...).
  Result<std::string> describe() const;
  /// Whether the plugin's ops table has the op ("enter", "stop", "gc", "describe", "run").
  bool has(const std::string& op) const;

  /// Runs a command in the pod; returns its exit status (or does not return when the flavor
  /// replaces the calling process).
  Result<int> enter(const Stage1EnterRequest& request) const;
  Status stop(const Stage1StopRequest& request) const;
  Status gc(const Stage1GcRequest& request) const;

 private:
  Stage1Client(std::string flavor, plugin::Instance instance)
      : flavor_(std::move(flavor)), instance_(std::move(instance)) {}
  Error unsupported(const std::string& op) const;
  Error failed(const std::string& op, rkt_status status, const rkt_error& err) const;

  std::string flavor_;
  plugin::Instance instance_;
};

/// The JSON requests exactly as sent to the plugin (exposed for tests).
std::string enterRequestJson(const Stage1EnterRequest& request);
std::string stopRequestJson(const Stage1StopRequest& request);
std::string gcRequestJson(const Stage1GcRequest& request);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_STAGE1_HPP
