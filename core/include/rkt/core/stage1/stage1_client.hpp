// The one client of a stage1 flavor plugin (rkt/abi/stage1.h): every op of the stage1 protocol
// (rkt/sdk/protocol/stage1.hpp), for the pod `run` starts (run, run-prepared) and for the pods
// later commands act on (enter, stop, gc), whose flavor `$POD/flavor` records.
//
//   PluginRegistry registry(defaultSearchPath(config.paths.plugins));
//   Result<Stage1Client> s1 = Stage1Client::open(registry, "fly");     // a new pod
//   Result<Stage1Client> s1 = Stage1Client::forPod(registry, pod);     // "$POD/flavor", else the
//   default Status s = s1->stop({pod.path(), pod.uuid().str(), force});
//
// An op the flavor leaves out (NULL in its ops table, or RKT_E_UNSUPPORTED from the plugin)
// fails with errno ENOTSUP and "`<op>` is not supported by this stage1 (stage1 `<flavor>`)".
#ifndef RKT_CORE_STAGE1_STAGE1_CLIENT_HPP
#define RKT_CORE_STAGE1_STAGE1_CLIENT_HPP

#include <string>
#include <string_view>
#include <utility>

#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"
#include "rkt/core/stage1/stage1.hpp"

namespace rkt::plugin {
class PluginRegistry;
}

namespace rkt::stage1 {

/// The pod's stage1 flavor: the target of its `flavor` symlink (a regular file's trimmed content
/// is accepted too), or defaultFlavor() when there is none. A flavor that is not a flavor name
/// (isFlavorName) or an unreadable entry is an error (EINVAL / the read's errno).
Result<std::string> stage1ForPod(const pod::Pod& pod);

/// Writes `$POD/flavor`: a symlink whose target is the flavor name (as rkt's stage1 writes it),
/// so commands that act on the pod later load the stage1 that prepared it (stage1ForPod).
Status writePodFlavor(const std::string& podDir, const std::string& flavor);

/// A stage1 plugin instance's configuration (schema stage1-config): {"run_follows": true} when
/// the core will ask the instance to `run` a pod (the flavor may start slow preparations
/// early); for the flavor that runs stage1 images (kImageFlavor), also the image's manifest,
/// {"image_manifest": <imageManifestJson>}, so that `describe` can tell what the image declares.
std::string stage1Config(bool runFollows, const std::string& imageManifestJson = "");

/// One instance of a stage1 flavor plugin. Move-only; keeps the plugin loaded.
class Stage1Client final : public Stage1 {
 public:
  /// Loads exactly `stage1-<flavor>.so` and creates an instance. Errors name the flavor:
  /// "cannot load stage1 `<flavor>`: <reason>", the reason listing the installed flavors when
  /// there is no such plugin.
  static Result<Stage1Client> open(plugin::PluginRegistry& registry, const std::string& flavor,
                                   const std::string& configJson = "{}");
  /// open() for the flavor of an existing pod (stage1ForPod).
  static Result<Stage1Client> forPod(plugin::PluginRegistry& registry, const pod::Pod& pod);

  /// Wraps an instance already created, as flavor `flavor` (what open() ends with; tests wrap
  /// an in-process fake).
  Stage1Client(std::string flavor, plugin::Instance instance)
      : flavor_(std::move(flavor)), instance_(std::move(instance)) {}

  const std::string& flavor() const override { return flavor_; }

  /// Whether the plugin's ops table has the op ("run", "describe", "enter", "stop", "gc").
  bool has(std::string_view op) const override;

  Result<Capabilities> describe() const override;
  Result<int> run(const RunRequest& request) const override;
  Result<int> enter(const EnterRequest& request) const override;
  Status stop(const StopRequest& request) const override;
  Status gc(const GcRequest& request) const override;

 private:
  /// The op through the instance's invokeOptional, with the request encoded.
  template <class Request, class... Params, class... Out>
  Status invoke(std::string_view op, rkt_status (*rkt_stage1_ops::*member)(Params...),
                const Request& request, Out*... out) const;

  std::string flavor_;
  plugin::Instance instance_;
};

}  // namespace rkt::stage1

#endif  // RKT_CORE_STAGE1_STAGE1_CLIENT_HPP
