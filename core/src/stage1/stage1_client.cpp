#include "rkt/core/stage1/stage1_client.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "pod/json_readers.hpp"
#include "pod/sys.hpp"
#include "rkt/abi/stage1.h"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/protocol.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/core/stage1/selection.hpp"
#include "rkt/sdk/pod_layout.hpp"
#include "rkt/support/posix/file_io.hpp"

namespace rkt::stage1 {
namespace {

Error notSupported(std::string_view op, const plugin::Factory& factory) {
  return Error{
      "`" + std::string(op) + "` is not supported by this stage1 (stage1 `" + factory.name() + "`)",
      ENOTSUP};
}

}  // namespace

Result<std::string> stage1ForPod(const pod::Pod& pod) {
  const std::string name = "pod `" + pod.uuid().str() + "`";
  if (pod.dirFd() < 0)
    return sysError("cannot find the stage1 of " + name, ENOENT);
  // A pod with a stage1 image runs with the flavor its name selects: rkt's stage1 images write
  // `flavor` themselves (`coreos`, …), which names no plugin of ours.
  Result<std::string> manifest = posix::readFileAt(pod.dirFd(), protocol::layout::kStage1Manifest);
  if (manifest) {
    Result<pod::json::ImageNameVersion> image = pod::json::parseImageNameVersion(*manifest);
    if (!image)
      return image.error().wrap("cannot read the stage1 manifest of " + name);
    return flavorForImageName(image->name);
  }
  if (manifest.error().sysErrno != ENOENT)
    return manifest.error().wrap("cannot read the stage1 manifest of " + name);
  std::string flavor;
  char target[256];
  ssize_t n = ::readlinkat(pod.dirFd(), protocol::layout::kFlavor, target, sizeof target);
  if (n >= 0 && static_cast<size_t>(n) < sizeof target) {
    flavor.assign(target, static_cast<size_t>(n));
  } else if (n < 0 && errno == ENOENT) {
    return std::string(defaultFlavor());
  } else if (n < 0 && errno == EINVAL) {
    // Not a symlink: a plain file naming the flavor.
    Result<std::string> text = posix::readFileAt(pod.dirFd(), protocol::layout::kFlavor);
    if (!text)
      return text.error().wrap("cannot read the stage1 flavor of " + name);
    flavor = std::string(pod::sys::trimSpace(*text));
  } else if (n < 0) {
    return sysError("cannot read the stage1 flavor of " + name);
  }
  if (!isFlavorName(flavor)) {
    return Error{
        "invalid stage1 flavor `" + flavor + "` in `" + protocol::layout::kFlavor + "` of " + name,
        EINVAL};
  }
  return flavor;
}

Status writePodFlavor(const std::string& podDir, const std::string& flavor) {
  const std::string link = podDir + "/" + protocol::layout::kFlavor;
  if (::symlink(flavor.c_str(), link.c_str()) != 0)
    return sysError("cannot write `" + link + "`");
  return {};
}

std::string stage1Config(bool runFollows, const std::string& imageManifestJson) {
  protocol::stage1::Config config;
  config.runFollows = runFollows;
  std::string json = protocol::encode(config);
  if (!imageManifestJson.empty()) {
    // Not a field of the protocol type: the manifest goes in as it is in the store.
    json.insert(1, "\"image_manifest\":" + imageManifestJson + (json.size() > 2 ? "," : ""));
  }
  return json;
}

Result<Stage1Client> Stage1Client::open(plugin::PluginRegistry& registry, const std::string& flavor,
                                        const std::string& configJson) {
  const std::string context = "cannot load stage1 `" + flavor + "`";
  const std::vector<std::string> installed = registry.installed(RKT_KIND_STAGE1);
  if (std::find(installed.begin(), installed.end(), flavor) == installed.end())
    return notInstalledError(flavor, installed).wrap(context);
  Result<plugin::Factory> factory = registry.get(RKT_KIND_STAGE1, flavor);
  if (!factory)
    return factory.error().wrap(context);
  Result<plugin::Instance> instance = factory->create(configJson);
  if (!instance)
    return instance.error().wrap(context);
  return Stage1Client(flavor, std::move(*instance));
}

Result<Stage1Client> Stage1Client::forPod(plugin::PluginRegistry& registry, const pod::Pod& pod) {
  Result<std::string> flavor = stage1ForPod(pod);
  if (!flavor)
    return flavor.error();
  return open(registry, *flavor);
}

bool Stage1Client::has(std::string_view op) const {
  const rkt_stage1_ops& ops = instance_.ops<rkt_stage1_ops>();
  if (op == "run")
    return ops.run != nullptr;
  if (op == "describe")
    return ops.describe != nullptr;
  if (op == "enter")
    return ops.enter != nullptr;
  if (op == "stop")
    return ops.stop != nullptr;
  if (op == "gc")
    return ops.gc != nullptr;
  return false;
}

template <class Request, class... Params, class... Out>
Status Stage1Client::invoke(std::string_view op, rkt_status (*rkt_stage1_ops::*member)(Params...),
                            const Request& request, Out*... out) const {
  const std::string json = protocol::encode(request);
  return instance_.invokeOptional(&notSupported, op, member, json.data(), json.size(), out...);
}

Result<Capabilities> Stage1Client::describe() const {
  // A flavor without `describe` (NULL or answering RKT_E_UNSUPPORTED) states no limits.
  rkt_buffer out;
  Result<bool> described = instance_.invokeIfSupported("describe", &rkt_stage1_ops::describe, &out);
  if (!described)
    return described.error();
  if (!*described)
    return Capabilities{};
  Result<Capabilities> caps = plugin::decodeMessage<Capabilities>(out.bytes);
  if (!caps)
    return caps.error().wrap("stage1 `" + flavor_ + "`");
  return caps;
}

Result<int> Stage1Client::run(const RunRequest& request) const {
  int exitStatus = 0;
  if (Status s = invoke("run", &rkt_stage1_ops::run, request, &exitStatus); !s)
    return s.error();
  return exitStatus;
}

Result<int> Stage1Client::enter(const EnterRequest& request) const {
  int exitStatus = -1;
  if (Status s = invoke("enter", &rkt_stage1_ops::enter, request, &exitStatus); !s)
    return s.error();
  return exitStatus;
}

Status Stage1Client::stop(const StopRequest& request) const {
  return invoke("stop", &rkt_stage1_ops::stop, request);
}

Status Stage1Client::gc(const GcRequest& request) const {
  // A flavor that answers RKT_E_UNSUPPORTED set nothing up to release, as one without `gc`.
  const std::string json = protocol::encode(request);
  Result<bool> collected =
      instance_.invokeIfSupported("gc", &rkt_stage1_ops::gc, json.data(), json.size());
  if (!collected)
    return collected.error();
  return {};
}

}  // namespace rkt::stage1
