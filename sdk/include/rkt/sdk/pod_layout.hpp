// The part of the pod directory ($POD) a stage1 flavor reads or writes: what stage0 prepares
// for it and what the core reads back for `status`, `list`, `enter`, `stop` and `image gc`
// (rkt's layout, docs/pod-states.md). Paths are relative to $POD unless a comment says
// otherwise. The core's own entries (locks, phase markers, overlay directories) are in the
// core's rkt/core/pod/layout.hpp.
#ifndef RKT_SDK_POD_LAYOUT_HPP
#define RKT_SDK_POD_LAYOUT_HPP

#include <string>

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)  // see rkt/sdk/plugin.hpp
#endif

namespace rkt::protocol::layout {

// ---- written by stage0, read by the stage1 ----

/// The pod manifest.
inline constexpr char kPodManifest[] = "pod";
/// Present when the apps' root filesystems are overlay mounts of rendered trees (stage0 mounts
/// them before `run`); absent when they were copied into the pod.
inline constexpr char kOverlayPrepared[] = "overlay-prepared";
/// The stage1 flavor, a symlink whose target is the flavor name (as rkt's stage1 writes it).
inline constexpr char kFlavor[] = "flavor";
/// The tree store ID of the stage1 image, for flavors that come from one.
inline constexpr char kStage1TreeStoreId[] = "stage1TreeStoreID";
/// The stage1 image's manifest, when the pod has a stage1 image: its annotations
/// (`coreos.com/rkt/stage1/run`, …) name the entrypoints the `aci` flavor calls.
inline constexpr char kStage1Manifest[] = "stage1/manifest";
/// Per-app information: the image manifest and, with overlay, the tree store ID.
inline constexpr char kAppsInfo[] = "appsinfo";
inline std::string appInfoDir(const std::string& app) {
  return std::string(kAppsInfo) + "/" + app;
}
inline std::string appImageManifest(const std::string& app) {
  return appInfoDir(app) + "/manifest";
}
inline std::string appTreeStoreId(const std::string& app) {
  return appInfoDir(app) + "/treeStoreID";
}
/// The stage1's root filesystem; the entries below are relative to it.
inline constexpr char kStage1Rootfs[] = "stage1/rootfs";

// ---- relative to the stage1 rootfs ($POD/stage1/rootfs) ----

inline std::string stage2AppDir(const std::string& app) {
  return "opt/stage2/" + app;
}
/// The app's root filesystem (an overlay mount, or a copy of the image's rootfs).
inline std::string stage2AppRootfs(const std::string& app) {
  return stage2AppDir(app) + "/rootfs";
}
inline std::string stage2AppManifest(const std::string& app) {
  return stage2AppDir(app) + "/manifest";
}
/// Written by stage0 for --dns / --hosts-entry in mode `stage0`; the stage1 bind-mounts them.
inline constexpr char kStage0ResolvConf[] = "etc/rkt-resolv.conf";
inline constexpr char kStage0Hosts[] = "etc/rkt-hosts";
/// The stage1's default /etc/hosts, which stage0 extends for mode `stage0`.
inline constexpr char kHostsFallback[] = "etc/hosts-fallback";
/// rkt's default /etc/hosts: what stage0 extends when the stage1 has no hosts-fallback, and the
/// hosts-fallback a stage1 writes (with the pod's hostname on its 127.0.0.1 line).
inline constexpr char kDefaultHostsText[] =
    "# This is the default rkt /etc/hosts\n"
    "127.0.0.1 localhost localhost.domain localhost4 localhost4.localdomain4\n"
    "\n"
    "::1 ip6-localhost ip6-loopback localhost6 localhost6.localdomain6\n"
    "fe00::0 ip6-localnet\n"
    "ff00::0 ip6-mcastprefix\n"
    "ff02::1 ip6-allnodes\n"
    "ff02::2 ip6-allrouters\n"
    "ff02::3 ip6-allhosts\n";
/// The app's exit status (decimal text), written by the stage1 when the app exits.
inline constexpr char kAppStatusDir[] = "rkt/status";
inline std::string appStatus(const std::string& app) {
  return std::string(kAppStatusDir) + "/" + app;
}
/// The app's environment, written by the stage1 at `run` and read again by `enter`.
inline constexpr char kAppEnvDir[] = "rkt/env";
inline std::string appEnv(const std::string& app) {
  return std::string(kAppEnvDir) + "/" + app;
}

/// The app's output (stdout and stderr as they came), kept by the stage1 for `rkt logs`: the
/// current file and, once it reached the flavor's size cap, the previous one.
inline constexpr char kAppLogDir[] = "rkt/logs";
inline std::string appLog(const std::string& app) {
  return std::string(kAppLogDir) + "/" + app;
}
inline std::string appLogPrevious(const std::string& app) {
  return appLog(app) + ".1";
}

/// A symlink to "ready" once the pod's supervisor runs its apps (`rkt status --wait-ready`).
inline constexpr char kSupervisorStatus[] = "rkt/supervisor-status";

// ---- written by the stage1, read by the core ----

/// PID of the pod's first process (decimal text and a newline), once it runs: `enter` joins it
/// and `status` reports it.
inline constexpr char kPid[] = "pid";
/// PID of the process whose only child is the pod's PID 1, for flavors that cannot write `pid`.
inline constexpr char kPpid[] = "ppid";
/// Process group of the pod's processes, which `stop` signals.
inline constexpr char kPgid[] = "pgid";
/// The pod's networks (rkt/sdk/protocol/stage1.hpp NetInfoList).
inline constexpr char kNetInfo[] = "net-info.json";
/// The backing directories of the pod's `empty` volumes, one per volume name (rkt's stage1s).
inline constexpr char kSharedVolumes[] = "sharedVolumes";

/// $POD-relative forms of the stage1-rootfs entries.
inline std::string podStage2AppRootfs(const std::string& app) {
  return std::string(kStage1Rootfs) + "/" + stage2AppRootfs(app);
}
inline std::string podStage2AppDir(const std::string& app) {
  return std::string(kStage1Rootfs) + "/" + stage2AppDir(app);
}

}  // namespace rkt::protocol::layout

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#endif  // RKT_SDK_POD_LAYOUT_HPP
