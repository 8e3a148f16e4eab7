// Starting a pod with a stage1 flavor plugin (rkt/abi/stage1.h, ABI 1.1): load `stage1-<flavor>`
// through the registry (naming the installed flavors when it is missing), ask what it supports,
// hand it a prepared pod. Used by run and run-prepared; the commands acting on an existing pod
// (enter, stop, gc) use rkt/core/pod/stage1.hpp, which reads the `$POD/flavor` written here.
//
//   Result<Stage1Client> s1 = Stage1Client::open(registry, "fly");
//   Result<int> status = s1->run(requestJson);   // fly: does not return on success
#ifndef RKT_CORE_STAGE1_STAGE1_CLIENT_HPP
#define RKT_CORE_STAGE1_STAGE1_CLIENT_HPP

#include <string>

#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/result.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::stage1 {

/// What `describe` reports.
struct Capabilities {
  int maxApps = 0;  ///< 0: no limit
  std::string isolation;
  bool networking = false;
  bool isMutable = false;
  bool exitStatusPreserved = false;
};

class Stage1Client {
 public:
  /// Loads exactly `stage1-<flavor>.so` and creates an instance. A flavor without a plugin
  /// file fails with notInstalledError() listing the installed ones.
  static Result<Stage1Client> open(plugin::PluginRegistry& registry, const std::string& flavor);

  const std::string& flavor() const { return flavor_; }

  /// `describe` (an empty Capabilities with maxApps 0 when the plugin lacks it).
  Result<Capabilities> describe() const;

  /// `run` with a JSON request. Returns the pod's exit status when the flavor returns; a flavor
  /// that execs (fly) does not come back on success.
  Result<int> run(const std::string& request) const;

 private:
  Stage1Client(std::string flavor, plugin::Instance instance)
      : flavor_(std::move(flavor)), instance_(std::move(instance)) {}

  std::string flavor_;
  plugin::Instance instance_;
};

/// `$POD/flavor` (pod::kStage1FlavorFile): a symlink whose target is the flavor name (as rkt's
/// stage1 writes it), so commands that act on the pod later load the stage1 that prepared it
/// (pod::stage1ForPod).
Status writePodFlavor(const std::string& podDir, const std::string& flavor);

}  // namespace rkt::stage1

#endif  // RKT_CORE_STAGE1_STAGE1_CLIENT_HPP
