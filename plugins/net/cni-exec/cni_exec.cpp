#include "cni_exec.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>

#include "exec_process.hpp"
#include "rkt/support/cni/result_version.hpp"

namespace rkt::cniexec {

namespace pc = protocol::cni;
using Poco::JSON::Object;

namespace {

Object::Ptr parseObject(const std::string& text, const std::string& what) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text).extract<Object::Ptr>();
  } catch (const std::exception&) {
    throw pc::Failure(pc::kDecodeFailure, "error unmarshall " + what);
  }
}

std::string typeOf(rkt_kind kind, const Object::Ptr& conf) {
  Object::Ptr o = conf;
  if (kind == RKT_KIND_IPAM) {
    o = conf->getObject("ipam");
  }
  const std::string type = o.isNull() ? "" : o->optValue<std::string>("type", "");
  if (type.empty()) {
    throw pc::Failure(pc::kInvalidConfig, kind == RKT_KIND_IPAM
                                              ? "IPAM config missing 'ipam' key or its type"
                                              : "network config has no type");
  }
  if (type.find('/') != std::string::npos || type == "." || type == "..") {
    throw pc::Failure(pc::kInvalidConfig, "invalid plugin type \"" + type + "\"");
  }
  return type;
}

bool sameFile(const std::string& path, int fd) {
  struct stat a {};
  struct stat b {};
  return ::stat(path.c_str(), &a) == 0 && ::fstat(fd, &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

// CNI_NETNS: the request's path when it is the namespace the host passed, else a path to the
// host's descriptor that the plugin (another process) can open.
std::string netnsPath(const sdk::NetContext& ctx, const pc::Request& r) {
  const int fd = ctx.containerNetns();
  if (fd < 0) {
    return "";
  }
  if (!r.netns.empty() && sameFile(r.netns, fd)) {
    return r.netns;
  }
  return "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd);
}

// What the binary reads on stdin: the configuration as it came, with what the CNI runtime
// injects (prevResult in the config's own version, runtimeConfig, GC's valid attachments).
std::string stdinFor(const char* command, const pc::Request& r) {
  const bool gc = std::string(command) == "GC";
  if (r.prevResult.text.empty() && r.runtimeConfig.text.empty() && !gc) {
    return r.config.text;  // the conf as the request carries it (keys in the file's order)
  }
  auto conf = parseObject(r.config.text, "network config");
  if (!r.prevResult.text.empty()) {
    const auto prev = cni::parseResultAnyVersion(r.prevResult.text, r.cniVersion);
    conf->set("prevResult", parseObject(cni::encodeResultAs(prev, r.cniVersion), "prevResult"));
  }
  if (!r.runtimeConfig.text.empty()) {
    conf->set("runtimeConfig", parseObject(r.runtimeConfig.text, "runtimeConfig"));
  }
  if (gc) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array();
    for (const pc::Attachment& a : r.validAttachments) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("containerID", a.containerId);
      o->set("ifname", a.ifName);
      list->add(o);
    }
    conf->set("cni.dev/valid-attachments", list);
  }
  return protocol::detail::stringify(conf);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

ExternalCni::ExternalCni(const std::string& config) {
  auto o = parseObject(config, "cni-exec configuration");
  if (auto path = o->getArray("path"); !path.isNull()) {
    for (std::size_t i = 0; i < path->size(); ++i) {
      path_.push_back(path->getElement<std::string>(i));
    }
  }
  if (o->has("timeout")) {
    timeout_ =
        std::chrono::milliseconds(static_cast<long long>(o->getValue<double>("timeout") * 1000.0));
  }
}

std::string ExternalCni::find(const std::string& type) const {
  std::string searched;
  for (const std::string& dir : path_) {
    const std::string candidate = dir + "/" + type;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    searched += (searched.empty() ? "" : " ") + dir;
  }
  // libcni's wording.
  throw pc::Failure(pc::kInternal,
                    "failed to find plugin \"" + type + "\" in path [" + searched + "]");
}

std::string ExternalCni::run(rkt_kind kind, const char* command, const sdk::NetContext& ctx,
                             const pc::Request& r) const {
  const auto conf = parseObject(r.config.text, "network config");
  const std::string binary = find(typeOf(kind, conf));
  std::chrono::milliseconds timeout = timeout_;
  if (conf->has("rkt.timeout")) {
    timeout = std::chrono::milliseconds(
        static_cast<long long>(conf->getValue<double>("rkt.timeout") * 1000.0));
  }
  std::string cniPath;
  for (const std::string& dir : path_) {
    cniPath += (cniPath.empty() ? "" : ":") + dir;
  }
  const std::map<std::string, std::string> env = {
      {"CNI_COMMAND", command},
      {"CNI_CONTAINERID", r.containerId},
      {"CNI_NETNS", netnsPath(ctx, r)},
      {"CNI_IFNAME", r.ifName},
      {"CNI_ARGS", r.args},
      {"CNI_PATH", cniPath},
  };
  const ExecOutcome out = execWithTimeout(binary, env, stdinFor(command, r), timeout);
  if (out.timedOut) {
    throw pc::Failure(pc::kInternal, "plugin `" + binary + "` timed out",
                      std::string(command) + " took more than " +
                          std::to_string(timeout.count() / 1000.0).substr(0, 5) + " s");
  }
  if (out.exitStatus != 0) {
    pc::ErrorObject e;
    try {
      e = protocol::decode<pc::ErrorObject>(out.out);
    } catch (const std::exception&) {
      // libcni: the error object from stdout, else stderr's text.
      e.code = pc::kInternal;
      e.msg = "plugin `" + binary + "` failed with exit status " + std::to_string(out.exitStatus);
      e.details = trimmed(out.err.empty() ? out.out : out.err);
    }
    throw pc::Failure(e.code, e.msg, e.details);
  }
  return out.out;
}

pc::Result ExternalCni::add(rkt_kind kind, const sdk::NetContext& ctx, const pc::Request& r) const {
  const std::string out = run(kind, "ADD", ctx, r);
  pc::Result result = cni::parseResultAnyVersion(out, r.cniVersion);
  // Our descriptor path in the result means the namespace the request named.
  const std::string viaFd = netnsPath(ctx, r);
  for (pc::Interface& i : result.interfaces) {
    if (!r.netns.empty() && !viaFd.empty() && i.sandbox == viaFd) {
      i.sandbox = r.netns;
    }
  }
  return result;
}

}  // namespace rkt::cniexec
