#include "rkt/core/pod/stage1.hpp"

#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <utility>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "pod/sys.hpp"
#include "rkt/abi/stage1.h"
#include "rkt/core/plugin/host.hpp"

#ifndef RKT_DEFAULT_STAGE1_FLAVOR
#define RKT_DEFAULT_STAGE1_FLAVOR "fly"
#endif

namespace rkt::pod {
namespace {

bool isPluginName(const std::string& name) {
  if (name.empty())
    return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.')))
      return false;
  }
  return true;
}

Poco::JSON::Object::Ptr newObject() {
  return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::string stringify(const Poco::JSON::Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

}  // namespace

const char* defaultStage1Flavor() {
  return RKT_DEFAULT_STAGE1_FLAVOR;
}

Result<std::string> stage1ForPod(const Pod& pod) {
  const std::string name = "pod `" + pod.uuid().str() + "`";
  if (pod.dirFd() < 0)
    return sysError("cannot find the stage1 of " + name, ENOENT);
  std::string flavor;
  char target[256];
  ssize_t n = ::readlinkat(pod.dirFd(), kStage1FlavorFile, target, sizeof target);
  if (n >= 0 && static_cast<size_t>(n) < sizeof target) {
    flavor.assign(target, static_cast<size_t>(n));
  } else if (n < 0 && errno == ENOENT) {
    return std::string(defaultStage1Flavor());
  } else if (n < 0 && errno == EINVAL) {
    // Not a symlink: a plain file naming the flavor.
    Result<std::string> text = sys::readFileAt(pod.dirFd(), kStage1FlavorFile);
    if (!text)
      return text.error().wrap("cannot read the stage1 flavor of " + name);
    flavor = std::string(sys::trimSpace(*text));
  } else if (n < 0) {
    return sysError("cannot read the stage1 flavor of " + name);
  }
  if (!isPluginName(flavor)) {
    return Error{"invalid stage1 flavor `" + flavor + "` in `" + kStage1FlavorFile + "` of " + name,
                 EINVAL};
  }
  return flavor;
}

std::string enterRequestJson(const Stage1EnterRequest& r) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("pod_dir", r.podDir);
  o->set("uuid", r.uuid);
  o->set("pid", static_cast<int>(r.pid));
  o->set("app", r.app);
  Poco::JSON::Array command;
  for (const std::string& word : r.command)
    command.add(word);
  o->set("command", command);
  o->set("interactive", r.interactive);
  return stringify(o);
}

std::string stopRequestJson(const Stage1StopRequest& r) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("pod_dir", r.podDir);
  o->set("uuid", r.uuid);
  o->set("force", r.force);
  return stringify(o);
}

std::string gcRequestJson(const Stage1GcRequest& r) {
  Poco::JSON::Object::Ptr o = newObject();
  o->set("pod_dir", r.podDir);
  o->set("uuid", r.uuid);
  o->set("debug", r.debug);
  o->set("local_config", r.localConfig);
  return stringify(o);
}

Result<Stage1Client> Stage1Client::load(plugin::PluginRegistry& registry,
                                        const std::string& flavor) {
  Result<plugin::Factory> factory = registry.get(RKT_KIND_STAGE1, flavor);
  if (!factory)
    return factory.error().wrap("cannot load stage1 `" + flavor + "`");
  Result<plugin::Instance> instance = factory->create("{}");
  if (!instance)
    return instance.error().wrap("cannot load stage1 `" + flavor + "`");
  return Stage1Client(flavor, std::move(*instance));
}

Error Stage1Client::unsupported(const std::string& op) const {
  return Error{"`" + op + "` is not supported by this stage1 (stage1 `" + flavor_ + "`)", ENOTSUP};
}

Error Stage1Client::failed(const std::string& op, rkt_status status, const rkt_error& err) const {
  if (status == RKT_E_UNSUPPORTED)
    return unsupported(op);
  return plugin::errorFromPlugin(status, err,
                                 "stage1 `" + flavor_ + "` failed to " + op + " the pod");
}

bool Stage1Client::has(const std::string& op) const {
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

Result<std::string> Stage1Client::describe() const {
  if (!has("describe"))
    return unsupported("describe");
  rkt_error err;
  rkt_buffer out;
  rkt_status status = instance_.call(err, &rkt_stage1_ops::describe, &out);
  if (status != RKT_OK)
    return failed("describe", status, err);
  return std::move(out.bytes);
}

Result<int> Stage1Client::enter(const Stage1EnterRequest& request) const {
  if (!has("enter"))
    return unsupported("enter");
  const std::string json = enterRequestJson(request);
  rkt_error err;
  int exitStatus = -1;
  rkt_status status =
      instance_.call(err, &rkt_stage1_ops::enter, json.data(), json.size(), &exitStatus);
  if (status != RKT_OK)
    return failed("enter", status, err);
  return exitStatus;
}

Status Stage1Client::stop(const Stage1StopRequest& request) const {
  if (!has("stop"))
    return unsupported("stop");
  const std::string json = stopRequestJson(request);
  rkt_error err;
  rkt_status status = instance_.call(err, &rkt_stage1_ops::stop, json.data(), json.size());
  if (status != RKT_OK)
    return failed("stop", status, err);
  return {};
}

Status Stage1Client::gc(const Stage1GcRequest& request) const {
  if (!has("gc"))
    return unsupported("gc");
  const std::string json = gcRequestJson(request);
  rkt_error err;
  rkt_status status = instance_.call(err, &rkt_stage1_ops::gc, json.data(), json.size());
  if (status != RKT_OK)
    return failed("gc", status, err);
  return {};
}

}  // namespace rkt::pod
