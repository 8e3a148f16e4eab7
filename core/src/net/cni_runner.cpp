#include "rkt/core/net/cni_runner.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "rkt/abi/ipam.h"
#include "rkt/core/plugin/factory.hpp"
#include "rkt/core/plugin/host.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/support/cni/netns.hpp"
#include "rkt/support/posix/unique_fd.hpp"

// The host's state of one call, behind rkt_net_context.call (opaque to plugins).
struct rkt_net_call {
  rkt::net::CniRunner* runner = nullptr;
  int containerNetns = -1;
};

namespace rkt::net {

namespace pc = protocol::cni;

namespace {

CniOutcome failure(const std::string& msg, int code = pc::kInternal) {
  CniOutcome o;
  o.error.code = code;
  o.error.msg = msg;
  return o;
}

const char* commandName(rkt_cni_command c) {
  switch (c) {
    case RKT_CNI_ADD:
      return "ADD";
    case RKT_CNI_DEL:
      return "DEL";
    case RKT_CNI_CHECK:
      return "CHECK";
    case RKT_CNI_GC:
      return "GC";
    case RKT_CNI_STATUS:
      return "STATUS";
    case RKT_CNI_VERSION:
      return "VERSION";
    case RKT_CNI_INVALID:
      break;
  }
  return "?";
}

// net and ipam ops tables have the same members in the same order (rkt/abi/net.h).
template <class Ops>
auto opOf(const Ops& ops, rkt_cni_command c) -> decltype(ops.add) {
  switch (c) {
    case RKT_CNI_ADD:
      return ops.add;
    case RKT_CNI_DEL:
      return ops.del;
    case RKT_CNI_CHECK:
      return ops.check;
    case RKT_CNI_GC:
      return ops.gc;
    case RKT_CNI_STATUS:
      return ops.status;
    case RKT_CNI_VERSION:
      return ops.version;
    case RKT_CNI_INVALID:
      break;
  }
  return nullptr;
}

rkt_status delegateThunk(rkt_net_call_host_ptr call, rkt_kind kind, rkt_cni_command command,
                         const char* request, size_t len, rkt_net_sink sink, void* sinkCtx,
                         rkt_error_host_ptr err) {
  CniOutcome out;
  try {
    const auto req = protocol::decode<pc::Request>(std::string(request, len));
    out = call->runner->run(kind, command, req, call->containerNetns);
  } catch (const std::exception& e) {
    out = failure(e.what());
  }
  const std::string bytes = out.ok ? out.result : protocol::encode(out.error);
  if (sink != nullptr) {
    sink(sinkCtx, bytes.data(), bytes.size());
  }
  if (out.ok) {
    return RKT_OK;
  }
  if (err != nullptr) {
    err->set = true;
    err->code = RKT_E_INTERNAL;
    err->message = out.message();
  }
  return RKT_E_INTERNAL;
}

}  // namespace

std::string CniOutcome::message() const {
  return error.details.empty() ? error.msg : error.msg + ": " + error.details;
}

std::vector<std::string> externalCniPath(const std::string& localConfig) {
  std::vector<std::string> path = {"/usr/lib/rkt/plugins/net", "/usr/lib/cni", "/opt/cni/bin"};
  if (!localConfig.empty()) {
    path.insert(path.begin(), localConfig + "/net.d");
  }
  return path;
}

bool forcedExternal(rkt_kind kind, const std::string& configJson) {
  try {
    auto o = Poco::JSON::Parser().parse(configJson).extract<Poco::JSON::Object::Ptr>();
    if (kind == RKT_KIND_IPAM) {
      o = o->getObject("ipam");
    }
    return !o.isNull() && o->optValue<bool>("rkt.external", false);
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::string pluginType(rkt_kind kind, const std::string& configJson) {
  try {
    auto o = Poco::JSON::Parser().parse(configJson).extract<Poco::JSON::Object::Ptr>();
    if (kind == RKT_KIND_IPAM) {
      o = o->getObject("ipam");
    }
    return o.isNull() ? "" : o->optValue<std::string>("type", "");
  } catch (const Poco::Exception&) {
    return "";
  }
}

CniRunner::CniRunner(plugin::PluginRegistry& registry, std::string stateRoot,
                     std::vector<std::string> externalPath)
    : registry_(registry),
      stateRoot_(std::move(stateRoot)),
      externalPath_(std::move(externalPath)) {}

Result<plugin::Instance> CniRunner::instanceFor(rkt_kind kind, const std::string& type,
                                                const std::string& configJson,
                                                std::string& pluginName) {
  const auto installed = registry_.installed(kind);
  const bool inProcess = registry_.find(kind, type).has_value() ||
                         std::find(installed.begin(), installed.end(), type) != installed.end();
  if (inProcess && !forcedExternal(kind, configJson)) {
    pluginName = type;
    auto factory = registry_.get(kind, type);
    if (!factory) {
      return Error{"failed to find plugin \"" + type + "\": " + factory.error().message};
    }
    return factory->create("{}");
  }
  // An external CNI binary: cni-exec registers both kinds from net-cni-exec.so.
  pluginName = kCniExec;
  auto net = registry_.get(RKT_KIND_NET, kCniExec);
  if (!net) {
    return Error{"no in-process plugin provides type \"" + type +
                 "\" and external CNI plugins are unavailable: " + net.error().message};
  }
  std::optional<plugin::Factory> factory =
      kind == RKT_KIND_NET ? std::optional<plugin::Factory>(*net) : registry_.find(kind, kCniExec);
  if (!factory) {
    return Error{"`" + net->pluginPath() + "` does not run external IPAM plugins"};
  }
  Poco::JSON::Object config;
  Poco::JSON::Array path;
  for (const std::string& dir : externalPath_) {
    path.add(dir);
  }
  config.set("path", path);
  std::ostringstream json;
  config.stringify(json);
  return factory->create(json.str());
}

CniOutcome CniRunner::run(rkt_kind kind, rkt_cni_command command, const pc::Request& request,
                          int containerNetns) {
  const std::string type = pluginType(kind, request.config.text);
  const std::string what = kind == RKT_KIND_IPAM ? "ipam" : "net";
  if (type.empty()) {
    return failure(what == "ipam" ? "IPAM config missing 'ipam' key or its type"
                                  : "network config has no type",
                   pc::kInvalidConfig);
  }
  std::string pluginName;
  auto instance = instanceFor(kind, type, request.config.text, pluginName);
  if (!instance) {
    return failure(instance.error().message);
  }
  const std::string stateDir = stateRoot_ + "/" + what + "-" + pluginName;
  ::mkdir(stateRoot_.c_str(), 0700);
  ::mkdir(stateDir.c_str(), 0700);

  posix::UniqueFd hostNetns(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!hostNetns.valid()) {
    return failure("cannot open the host's network namespace");
  }
  const unsigned long before = cni::currentNetnsInode();
  rkt_net_call call{this, containerNetns};
  rkt_net_context ctx{};
  ctx.struct_size = sizeof ctx;
  ctx.container_netns_fd = containerNetns;
  ctx.host_netns_fd = hostNetns.get();
  ctx.state_dir = stateDir.c_str();
  ctx.call = &call;
  ctx.delegate = &delegateThunk;

  const std::string json = protocol::encode(request);
  rkt_buffer out;
  rkt_error err;
  rkt_status status;
  auto op = kind == RKT_KIND_IPAM ? opOf(instance->ops<rkt_ipam_ops>(), command)
                                  : opOf(instance->ops<rkt_net_ops>(), command);
  if (op == nullptr) {
    return failure(std::string(what) + " plugin \"" + type + "\" does not support " +
                   commandName(command));
  }
  status = op(instance->handle(), &ctx, json.data(), json.size(), &out, &err);
  if (cni::currentNetnsInode() != before) {
    // The plugin broke the rule of rkt/abi/net.h; put the thread back before anything else.
    if (::setns(hostNetns.get(), CLONE_NEWNET) != 0) {
      std::abort();
    }
    return failure(what + " plugin \"" + type + "\" returned in another network namespace");
  }
  CniOutcome outcome;
  if (status == RKT_OK) {
    outcome.ok = true;
    outcome.result = out.bytes;
    return outcome;
  }
  try {
    outcome.error = protocol::decode<pc::ErrorObject>(out.bytes);
  } catch (const std::exception&) {
    outcome.error.code = pc::kInternal;
    outcome.error.msg =
        plugin::errorFromPlugin(status, err, "plugin \"" + type + "\" failed").message;
  }
  return outcome;
}

}  // namespace rkt::net
