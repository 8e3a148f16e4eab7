#include "cni_dispatch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "rkt/core/net/cni_runner.hpp"
#include "rkt/core/plugin/registry.hpp"
#include "rkt/support/cni/result_version.hpp"
#include "rkt/support/posix/unique_fd.hpp"

namespace rkt::cnitool {

namespace pc = protocol::cni;
using Poco::JSON::Object;

namespace {

rkt_cni_command commandOf(const std::string& c) {
  if (c == "ADD")
    return RKT_CNI_ADD;
  if (c == "DEL")
    return RKT_CNI_DEL;
  if (c == "CHECK")
    return RKT_CNI_CHECK;
  if (c == "GC")
    return RKT_CNI_GC;
  if (c == "STATUS")
    return RKT_CNI_STATUS;
  return RKT_CNI_INVALID;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Output failed(const pc::ErrorObject& e) {
  return {1, protocol::encode(e)};
}

Output failed(int code, const std::string& msg, const std::string& details) {
  return failed(pc::ErrorObject{code, msg, details});
}

std::string versionAnswer() {
  pc::VersionResult v;
  v.supportedVersions = pc::supportedVersions();
  v.cniVersion = v.supportedVersions.back();
  return protocol::encode(v);
}

Output dispatch(const Invocation& inv, const std::string& invokedAs,
                plugin::PluginRegistry& registry, const std::string& stateDir) {
  Object::Ptr conf = Poco::JSON::Parser(new Poco::JSON::ParseHandler(true))
                         .parse(inv.stdinData)
                         .extract<Object::Ptr>();
  // Which plugin: argv[0]'s name as a net type, else as an IPAM type; as rkt-cni, the conf's.
  const std::string type =
      invokedAs == kToolName ? conf->optValue<std::string>("type", "") : invokedAs;
  rkt_kind kind = RKT_KIND_NET;
  if (!has(registry.installed(RKT_KIND_NET), type) &&
      has(registry.installed(RKT_KIND_IPAM), type)) {
    kind = RKT_KIND_IPAM;  // an IPAM plugin run on its own, or delegated to by a CNI binary
  }
  if (type.empty() || type == kToolName ||
      (!has(registry.installed(kind), type) && !registry.find(kind, type))) {
    return failed(
        pc::kInternal, "rkt-cni has no in-process plugin of type \"" + type + "\"",
        "plugin search path: " + [&] {
          std::string s;
          for (const auto& d : registry.searchPath())
            s += (s.empty() ? "" : ":") + d;
          return s;
        }());
  }
  // The type this binary runs is the one the runner dispatches to.
  Object::Ptr target = kind == RKT_KIND_IPAM ? conf->getObject("ipam") : conf;
  if (target.isNull()) {
    return failed(pc::kInvalidConfig, "IPAM config missing 'ipam' key");
  }
  std::string configText = inv.stdinData;
  // This binary is the implementation asked for: `rkt.external` (which would send the call
  // back out through cni-exec, to this binary again) does not apply to it.
  if (target->optValue<std::string>("type", "") != type || target->has("rkt.external")) {
    target->set("type", type);
    target->remove("rkt.external");
    configText = protocol::detail::stringify(conf);
  }

  pc::Request r;
  r.cniVersion = inv.cniVersion;
  r.name = conf->getValue<std::string>("name");
  r.containerId = inv.containerId;
  r.ifName = inv.ifName;
  r.args = inv.args;
  r.netns = inv.netns;
  r.config.text = configText;
  try {
    if (auto prev = conf->getObject("prevResult"); !prev.isNull()) {
      r.prevResult.text = protocol::encode(
          cni::parseResultAnyVersion(protocol::detail::stringify(prev), inv.cniVersion));
    }
    if (auto rc = conf->getObject("runtimeConfig"); !rc.isNull()) {
      r.runtimeConfig.text = protocol::detail::stringify(rc);
    }
    if (auto valid = conf->getArray("cni.dev/valid-attachments"); !valid.isNull()) {
      for (std::size_t i = 0; i < valid->size(); ++i) {
        auto a = valid->getObject(i);
        r.validAttachments.push_back(
            {a->optValue<std::string>("containerID", ""), a->optValue<std::string>("ifname", "")});
      }
    }
  } catch (const pc::Failure& f) {
    return failed(f.object());
  } catch (const std::exception& e) {
    return failed(pc::kDecodeFailure, std::string("error unmarshall network config: ") + e.what());
  }

  posix::UniqueFd netns;
  if (!inv.netns.empty()) {
    netns.reset(::open(inv.netns.c_str(), O_RDONLY | O_CLOEXEC));
    if (!netns.valid() && inv.command != "DEL") {
      // The reference plugins' wording (ns.GetNS).
      return failed(pc::kInternal,
                    "failed to open netns \"" + inv.netns + "\": " + std::strerror(errno));
    }
  }
  // Binaries it delegates to (a type it lacks, an IPAM forced external) come from CNI_PATH, as
  // for any CNI plugin.
  std::vector<std::string> path;
  for (std::size_t start = 0; start <= inv.path.size();) {
    const std::size_t colon = std::min(inv.path.find(':', start), inv.path.size());
    if (colon > start) {
      path.push_back(inv.path.substr(start, colon - start));
    }
    start = colon + 1;
  }
  net::CniRunner runner(registry, stateDir, path.empty() ? net::externalCniPath("/etc/rkt") : path);
  const net::CniOutcome out = runner.run(kind, commandOf(inv.command), r, netns.get());
  if (!out.ok) {
    return failed(out.error);
  }
  if (inv.command != "ADD") {
    return {0, ""};
  }
  try {
    return {0, cni::encodeResultAs(protocol::decode<pc::Result>(out.result), inv.cniVersion)};
  } catch (const pc::Failure& f) {
    return failed(f.object());
  } catch (const std::exception& e) {
    return failed(pc::kInternal, std::string("invalid result: ") + e.what());
  }
}

}  // namespace rkt::cnitool
