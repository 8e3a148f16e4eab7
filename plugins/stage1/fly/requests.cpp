#include "requests.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <limits>

#include "rkt/sdk/plugin.hpp"

namespace rkt::fly {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Reads one request object; absent and null fields mean "not given".
class Fields {
 public:
  Fields(const std::string& op, const std::string& json) : op_(op) {
    try {
      Poco::Dynamic::Var v = Poco::JSON::Parser().parse(json);
      if (v.type() == typeid(Object::Ptr)) {
        obj_ = v.extract<Object::Ptr>();
      }
    } catch (const Poco::Exception& e) {
      invalid("malformed JSON: " + e.message());
    }
    if (obj_.isNull()) {
      invalid("not a JSON object");
    }
  }

  [[noreturn]] void invalid(const std::string& what) const {
    throw sdk::Error(RKT_E_INVALID, "invalid " + op_ + " request: " + what);
  }

  bool given(const std::string& key) const { return obj_->has(key) && !obj_->isNull(key); }

  std::string str(const std::string& key, const std::string& fallback = "") const {
    return str(obj_, key, key, fallback);
  }

  std::string str(const Object::Ptr& obj, const std::string& key, const std::string& shown,
                  const std::string& fallback) const {
    if (!obj->has(key) || obj->isNull(key)) {
      return fallback;
    }
    Poco::Dynamic::Var v = obj->get(key);
    if (!v.isString()) {
      invalid("`" + shown + "` must be a string");
    }
    return v.extract<std::string>();
  }

  bool boolean(const std::string& key) const {
    if (!given(key)) {
      return false;
    }
    Poco::Dynamic::Var v = obj_->get(key);
    if (!v.isBoolean()) {
      invalid("`" + key + "` must be a boolean");
    }
    return v.convert<bool>();
  }

  long long integer(const std::string& key, long long min, long long max) const {
    if (!given(key)) {
      invalid("`" + key + "` is required");
    }
    Poco::Dynamic::Var v = obj_->get(key);
    if (!v.isInteger()) {
      invalid("`" + key + "` must be an integer");
    }
    long long n = v.convert<Poco::Int64>();
    if (n < min || n > max) {
      invalid("`" + key + "` is out of range");
    }
    return n;
  }

  Object::Ptr object(const std::string& key) const {
    if (!given(key)) {
      return nullptr;
    }
    Object::Ptr o = obj_->getObject(key);
    if (o.isNull()) {
      invalid("`" + key + "` must be an object");
    }
    return o;
  }

  std::vector<std::string> strings(const std::string& key) const {
    std::vector<std::string> out;
    if (!given(key)) {
      return out;
    }
    Array::Ptr arr = obj_->getArray(key);
    if (arr.isNull()) {
      invalid("`" + key + "` must be an array of strings");
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
      if (!v.isString()) {
        invalid("`" + key + "[" + std::to_string(i) + "]` must be a string");
      }
      out.push_back(v.extract<std::string>());
    }
    return out;
  }

  std::string podDir() const {
    std::string dir = str("pod_dir");
    if (dir.empty()) {
      invalid("`pod_dir` is required");
    }
    if (dir[0] != '/') {
      invalid("`pod_dir` must be an absolute path");
    }
    return dir;
  }

  const Object::Ptr& raw() const { return obj_; }

 private:
  std::string op_;
  Object::Ptr obj_;
};

}  // namespace

RunRequest parseRunRequest(const std::string& json) {
  Fields f("run", json);
  RunRequest r;
  r.podDir = f.podDir();
  r.uuid = f.str("uuid");
  r.lockFd = static_cast<int>(f.integer("lock_fd", 0, std::numeric_limits<int>::max()));
  r.debug = f.boolean("debug");
  if (Object::Ptr dns = f.object("dns_conf_mode")) {
    r.resolvMode = f.str(dns, "resolv", "dns_conf_mode.resolv", "default");
    r.hostsMode = f.str(dns, "hosts", "dns_conf_mode.hosts", "default");
  }
  if (r.resolvMode != "host" && r.resolvMode != "stage0" && r.resolvMode != "none" &&
      r.resolvMode != "default") {
    f.invalid("unknown resolv mode `" + r.resolvMode + "` in `dns_conf_mode.resolv`");
  }
  if (r.hostsMode != "host" && r.hostsMode != "stage0" && r.hostsMode != "default") {
    f.invalid("unknown hosts mode `" + r.hostsMode + "` in `dns_conf_mode.hosts`");
  }
  // Accepted and ignored (type-checked so a core/plugin mismatch is visible).
  f.strings("net");
  f.boolean("interactive");
  f.str("hostname");
  f.str("local_config");
  f.str("ipc");
  f.object("insecure");
  return r;
}

EnterRequest parseEnterRequest(const std::string& json) {
  Fields f("enter", json);
  EnterRequest r;
  r.podDir = f.podDir();
  r.uuid = f.str("uuid");
  r.pid = static_cast<pid_t>(f.integer("pid", 1, std::numeric_limits<pid_t>::max()));
  r.app = f.str("app");
  r.command = f.strings("command");
  r.interactive = f.boolean("interactive");
  if (r.command.empty()) {
    f.invalid("`command` must not be empty");
  }
  return r;
}

StopRequest parseStopRequest(const std::string& json) {
  Fields f("stop", json);
  StopRequest r;
  r.podDir = f.podDir();
  r.uuid = f.str("uuid");
  r.force = f.boolean("force");
  return r;
}

GcRequest parseGcRequest(const std::string& json) {
  Fields f("gc", json);
  GcRequest r;
  r.podDir = f.podDir();
  r.uuid = f.str("uuid");
  r.debug = f.boolean("debug");
  f.str("local_config");
  return r;
}

}  // namespace rkt::fly
