// The stage1 protocol (rkt/abi/stage1.h) as C++ types: what the core sends to a stage1 flavor
// and what the flavor answers, read and written with rkt/sdk/protocol/json.hpp. The JSON Schema
// of each message is sdk/schema/<kSchema>.schema.json (installed with the SDK).
//
//   // in a flavor:
//   int MyFlavor::run(const std::string& json) {
//     const auto req = rkt::protocol::decode<rkt::protocol::stage1::RunRequest>(json);
//     ...
#ifndef RKT_SDK_PROTOCOL_STAGE1_HPP
#define RKT_SDK_PROTOCOL_STAGE1_HPP

#include <string>
#include <vector>

#include "rkt/sdk/protocol/json.hpp"

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::protocol::stage1 {

namespace detail {
// Every request names the pod by its absolute directory.
template <class T>
void requireAbsolutePodDir(const T& r) {
  if (r.podDir.front() != '/') {
    invalidField<T>("pod_dir", "must be an absolute path");
  }
}
}  // namespace detail

/// How stage1 provides /etc/resolv.conf and /etc/hosts (--dns=host, --hosts-entry=host, …).
struct DnsConfMode {
  std::string resolv = "default";  ///< host | stage0 | none | default
  std::string hosts = "default";   ///< host | stage0 | default

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("resolv", s.resolv);
    v("hosts", s.hosts);
  }
};

/// What --insecure-options turned off for the pod.
struct RunInsecureOptions {
  bool capabilities = false;
  bool paths = false;
  bool seccomp = false;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("capabilities", s.capabilities);
    v("paths", s.paths);
    v("seccomp", s.seccomp);
  }
};

/// The instance configuration of a stage1 factory (rkt_factory.create): what the core opened the
/// flavor for. `{}` (every field false) for commands that do not run a pod.
struct Config {
  static constexpr const char* kWhat = "stage1 configuration";
  static constexpr const char* kSchema = "stage1-config";
  /// The core calls `run` on this instance once it has prepared the pod (`rkt run`,
  /// `run-prepared`): a flavor may start slow preparations that need no pod yet.
  bool runFollows = false;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("run_follows", s.runFollows);
  }
};

/// `run`: start a prepared pod ($POD/pod is its manifest).
struct RunRequest {
  static constexpr const char* kWhat = "run request";
  static constexpr const char* kSchema = "stage1-run-request";

  std::string podDir;  ///< absolute $POD
  std::string uuid;
  /// $POD's descriptor, flock'ed LOCK_EX, without FD_CLOEXEC: keep it open and locked for the
  /// pod's whole life.
  int lockFd = -1;
  bool debug = false;
  std::vector<std::string> net;  ///< "<network>[:K=V;...]"
  bool interactive = false;
  std::string hostname;
  DnsConfMode dnsConfMode;
  std::string localConfig;  ///< the local configuration directory
  RunInsecureOptions insecure;
  std::string ipc = "auto";  ///< auto | private | parent
  /// --private-users: "<shift>:<count>" of the pod's user namespace ($POD/private-users-prepared);
  /// empty: none. Sent only to a flavor whose describe has user_namespaces.
  std::string privateUsers;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("pod_dir", s.podDir, Presence::kRequired);
    v("uuid", s.uuid);
    v("lock_fd", s.lockFd, Presence::kRequired);
    v("debug", s.debug);
    v("net", s.net);
    v("interactive", s.interactive);
    v("hostname", s.hostname);
    v("dns_conf_mode", s.dnsConfMode);
    v("local_config", s.localConfig);
    v("insecure", s.insecure);
    v("ipc", s.ipc);
    v("private_users", s.privateUsers);
  }

  static void validate(const RunRequest& r) {
    detail::requireAbsolutePodDir(r);
    if (r.lockFd < 0) {
      invalidField<RunRequest>("lock_fd", "out of range");
    }
    const std::string& resolv = r.dnsConfMode.resolv;
    if (resolv != "host" && resolv != "stage0" && resolv != "none" && resolv != "default") {
      invalidField<RunRequest>("dns_conf_mode.resolv", "unknown resolv mode `" + resolv + "`");
    }
    const std::string& hosts = r.dnsConfMode.hosts;
    if (hosts != "host" && hosts != "stage0" && hosts != "default") {
      invalidField<RunRequest>("dns_conf_mode.hosts", "unknown hosts mode `" + hosts + "`");
    }
  }
};

/// `describe`'s result: what the flavor supports. Commands it lacks are NULL ops members.
struct DescribeResult {
  static constexpr const char* kWhat = "describe result";
  static constexpr const char* kSchema = "stage1-describe-result";

  int maxApps = 0;        ///< 0: no limit
  std::string isolation;  ///< chroot | namespaces | vm
  bool networking = false;
  bool isMutable = false;
  bool exitStatusPreserved = false;
  bool userNamespaces = false;  ///< runs pods with --private-users (RunRequest::privateUsers)

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("max_apps", s.maxApps);
    v("isolation", s.isolation);
    v("networking", s.networking);
    v("mutable", s.isMutable);
    v("exit_status_preserved", s.exitStatusPreserved);
    v("user_namespaces", s.userNamespaces);
  }
};

/// `enter`: run a command in an app of a running pod.
struct EnterRequest {
  static constexpr const char* kWhat = "enter request";
  static constexpr const char* kSchema = "stage1-enter-request";

  std::string podDir;
  std::string uuid;
  int pid = 0;      ///< the pod's PID 1, as published in $POD/pid or found through $POD/ppid
  std::string app;  ///< empty: the pod's only app
  std::vector<std::string> command;
  bool interactive = false;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("pod_dir", s.podDir, Presence::kRequired);
    v("uuid", s.uuid);
    v("pid", s.pid, Presence::kRequired);
    v("app", s.app);
    v("command", s.command, Presence::kRequired);
    v("interactive", s.interactive);
  }

  static void validate(const EnterRequest& r) {
    detail::requireAbsolutePodDir(r);
    if (r.pid < 1) {
      invalidField<EnterRequest>("pid", "out of range");
    }
  }
};

/// `stop`: stop a running pod.
struct StopRequest {
  static constexpr const char* kWhat = "stop request";
  static constexpr const char* kSchema = "stage1-stop-request";

  std::string podDir;
  std::string uuid;
  bool force = false;  ///< SIGKILL rather than a graceful stop

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("pod_dir", s.podDir, Presence::kRequired);
    v("uuid", s.uuid);
    v("force", s.force);
  }

  static void validate(const StopRequest& r) { detail::requireAbsolutePodDir(r); }
};

/// `gc`: release what the flavor set up for an exited pod, before the core removes $POD.
struct GcRequest {
  static constexpr const char* kWhat = "gc request";
  static constexpr const char* kSchema = "stage1-gc-request";

  std::string podDir;
  std::string uuid;
  bool debug = false;
  std::string localConfig;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("pod_dir", s.podDir, Presence::kRequired);
    v("uuid", s.uuid);
    v("debug", s.debug);
    v("local_config", s.localConfig);
  }

  static void validate(const GcRequest& r) { detail::requireAbsolutePodDir(r); }
};

/// One network of a pod, as the stage1 records it in $POD/net-info.json (rkt's NetInfo) for
/// `rkt list` and `rkt status`.
struct NetInfo {
  std::string netName;
  std::string netConf;
  std::string pluginPath;
  std::string ifName;
  std::string ip;
  std::string args;
  std::string mask;

  template <class V, class S>
  static void visitFields(V& v, S& s) {
    v("netName", s.netName);
    v("netConf", s.netConf);
    v("pluginPath", s.pluginPath);
    v("ifName", s.ifName);
    v("ip", s.ip);
    v("args", s.args);
    v("mask", s.mask);
  }
};

/// $POD/net-info.json: a JSON array of NetInfo.
struct NetInfoList {
  static constexpr const char* kWhat = "net-info.json";
  static constexpr const char* kSchema = "stage1-net-info";
  static constexpr bool kArray = true;
  std::vector<NetInfo> items;
};

}  // namespace rkt::protocol::stage1

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_PROTOCOL_STAGE1_HPP
