#include "pod_plan.hpp"

#include <cerrno>
#include <cstdlib>

#include "rkt/sdk/error.hpp"

namespace rkt::nspawn {

namespace {

class Writer {
 public:
  void put(const std::string& key, const std::string& value) {
    out_ += key;
    out_ += '\0';
    out_ += value;
    out_ += '\0';
  }
  void put(const std::string& key, unsigned long value) { put(key, std::to_string(value)); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

[[noreturn]] void invalid(const std::string& why) {
  throw sdk::Error(RKT_E_INVALID, "invalid pod plan: " + why, EINVAL);
}

unsigned long number(const std::string& key, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  const unsigned long v = std::strtoul(value.c_str(), &end, 10);
  if (value.empty() || errno != 0 || *end != '\0' || v > 0xfffffffeUL) {
    invalid("`" + key + "` is not a number: `" + value + "`");
  }
  return v;
}

// A byte count or a quota: the whole 64-bit range.
std::uint64_t bigNumber(const std::string& key, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(value.c_str(), &end, 10);
  if (value.empty() || value[0] == '-' || errno != 0 || *end != '\0') {
    invalid("`" + key + "` is not a number: `" + value + "`");
  }
  return v;
}

int signedNumber(const std::string& key, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || errno != 0 || *end != '\0' || v < -100000 || v > 100000) {
    invalid("`" + key + "` is not a number: `" + value + "`");
  }
  return static_cast<int>(v);
}

bool flag(const std::string& key, const std::string& value) {
  if (value != "0" && value != "1") {
    invalid("`" + key + "` is not 0 or 1: `" + value + "`");
  }
  return value == "1";
}

}  // namespace

std::string encodePodPlan(const PodPlan& plan) {
  Writer w;
  w.put("uuid", plan.uuid);
  w.put("hostname", plan.hostname);
  w.put("resolv", plan.resolvMode);
  w.put("hosts", plan.hostsMode);
  w.put("interactive", plan.interactive ? 1UL : 0UL);
  w.put("protect-paths", plan.protectPaths ? 1UL : 0UL);
  w.put("stop-timeout", static_cast<unsigned long>(plan.stopTimeout));
  for (const std::string& h : plan.ownCgroupHierarchies) {
    w.put("own-cgroup", h);
  }
  for (const AppPlan& app : plan.apps) {
    w.put("app", app.name);
    w.put("program", app.program);
    for (const std::string& a : app.argv) {
      w.put("arg", a);
    }
    w.put("workdir", app.workDir);
    w.put("uid", static_cast<unsigned long>(app.uid));
    w.put("gid", static_cast<unsigned long>(app.gid));
    for (gid_t g : app.supplementaryGids) {
      w.put("supplementary-gid", static_cast<unsigned long>(g));
    }
    w.put("own-sys", app.ownSys ? 1UL : 0UL);
    w.put("notify", app.notify ? 1UL : 0UL);
    w.put("read-only-rootfs", app.readOnlyRootfs ? 1UL : 0UL);
    for (const std::string& r : app.deviceRules) {
      w.put("device-rule", r);
    }
    const AppIsolation& iso = app.isolation;
    w.put("bound-caps", iso.boundCapabilities ? 1UL : 0UL);
    for (unsigned c : iso.capabilities) {
      w.put("capability", static_cast<unsigned long>(c));
    }
    w.put("seccomp", iso.seccompMode);
    w.put("seccomp-errno", static_cast<unsigned long>(iso.seccompErrno));
    for (const std::string& s : iso.syscalls) {
      w.put("syscall", s);
    }
    w.put("no-new-privs", iso.noNewPrivileges ? 1UL : 0UL);
    if (iso.hasOomScoreAdj) {
      w.put("oom-score-adj", std::to_string(iso.oomScoreAdj));
    }
    w.put("memory-limit", static_cast<unsigned long>(iso.resources.memoryBytes));
    w.put("cpu-quota", static_cast<unsigned long>(iso.resources.cpuQuotaMicros));
    w.put("cpu-shares", static_cast<unsigned long>(iso.resources.cpuShares));
    for (const EventHandler& h : app.handlers) {
      w.put("handler", h.name);
      for (const std::string& a : h.exec) {
        w.put("handler-arg", a);
      }
    }
  }
  return w.take();
}

PodPlan decodePodPlan(const std::string& bytes) {
  PodPlan plan;
  std::size_t pos = 0;
  auto next = [&](const char* what) {
    const std::size_t nul = bytes.find('\0', pos);
    if (nul == std::string::npos) {
      invalid(std::string("truncated ") + what);
    }
    std::string s = bytes.substr(pos, nul - pos);
    pos = nul + 1;
    return s;
  };
  while (pos < bytes.size()) {
    const std::string key = next("key");
    const std::string value = next("value");
    AppPlan* app = plan.apps.empty() ? nullptr : &plan.apps.back();
    if (key == "app") {
      plan.apps.emplace_back();
      plan.apps.back().name = value;
      continue;
    }
    if (app == nullptr) {
      if (key == "uuid") {
        plan.uuid = value;
      } else if (key == "hostname") {
        plan.hostname = value;
      } else if (key == "resolv") {
        plan.resolvMode = value;
      } else if (key == "hosts") {
        plan.hostsMode = value;
      } else if (key == "interactive") {
        plan.interactive = flag(key, value);
      } else if (key == "protect-paths") {
        plan.protectPaths = flag(key, value);
      } else if (key == "stop-timeout") {
        plan.stopTimeout = static_cast<int>(number(key, value));
      } else if (key == "own-cgroup") {
        plan.ownCgroupHierarchies.push_back(value);
      } else {
        invalid("unknown pod key `" + key + "`");
      }
      continue;
    }
    if (key == "program") {
      app->program = value;
    } else if (key == "arg") {
      app->argv.push_back(value);
    } else if (key == "workdir") {
      app->workDir = value;
    } else if (key == "uid") {
      app->uid = static_cast<uid_t>(number(key, value));
    } else if (key == "gid") {
      app->gid = static_cast<gid_t>(number(key, value));
    } else if (key == "supplementary-gid") {
      app->supplementaryGids.push_back(static_cast<gid_t>(number(key, value)));
    } else if (key == "own-sys") {
      app->ownSys = flag(key, value);
    } else if (key == "notify") {
      app->notify = flag(key, value);
    } else if (key == "read-only-rootfs") {
      app->readOnlyRootfs = flag(key, value);
    } else if (key == "device-rule") {
      app->deviceRules.push_back(value);
    } else if (key == "bound-caps") {
      app->isolation.boundCapabilities = flag(key, value);
    } else if (key == "capability") {
      app->isolation.capabilities.push_back(static_cast<unsigned>(number(key, value)));
    } else if (key == "seccomp") {
      if (value != "none" && value != "retain" && value != "remove") {
        invalid("`seccomp` is not none, retain or remove: `" + value + "`");
      }
      app->isolation.seccompMode = value;
    } else if (key == "seccomp-errno") {
      app->isolation.seccompErrno = static_cast<int>(number(key, value));
    } else if (key == "syscall") {
      app->isolation.syscalls.push_back(value);
    } else if (key == "no-new-privs") {
      app->isolation.noNewPrivileges = flag(key, value);
    } else if (key == "oom-score-adj") {
      app->isolation.hasOomScoreAdj = true;
      app->isolation.oomScoreAdj = signedNumber(key, value);
    } else if (key == "memory-limit") {
      app->isolation.resources.memoryBytes = bigNumber(key, value);
    } else if (key == "cpu-quota") {
      app->isolation.resources.cpuQuotaMicros = bigNumber(key, value);
    } else if (key == "cpu-shares") {
      app->isolation.resources.cpuShares = bigNumber(key, value);
    } else if (key == "handler") {
      app->handlers.push_back(EventHandler{value, {}});
    } else if (key == "handler-arg") {
      if (app->handlers.empty()) {
        invalid("`handler-arg` before any `handler`");
      }
      app->handlers.back().exec.push_back(value);
    } else {
      invalid("unknown app key `" + key + "`");
    }
  }
  for (const AppPlan& app : plan.apps) {
    if (app.name.empty() || app.program.empty() || app.argv.empty()) {
      invalid("app `" + app.name + "` has no name, program or arguments");
    }
  }
  return plan;
}

}  // namespace rkt::nspawn
