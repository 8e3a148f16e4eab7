// What `rkt list` and `rkt status` show about a pod, read from the files in its directory
// (rkt-notes §2.7): pod-created, pid/ppid, the pod manifest `pod`, appsinfo/<app>/manifest,
// the stage1's rkt/status/<app> files and net-info.json.
//
// Every reader takes an opened Pod and reads relative to its directory fd, so it keeps working
// while the pod is renamed between phases.
#ifndef RKT_CORE_POD_INFO_HPP
#define RKT_CORE_POD_INFO_HPP

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rkt/core/pod/pod.hpp"
#include "rkt/core/result.hpp"
#include "rkt/sdk/protocol/stage1.hpp"

namespace rkt::pod {

using TimePoint = std::chrono::system_clock::time_point;

/// One entry of net-info.json (rkt's NetInfo; strings kept as written), as the stage1 protocol
/// defines it.
using NetInfo = protocol::stage1::NetInfo;

/// One app of the pod manifest: apps[].name, apps[].image.{name,id} and the image's
/// "version" label (empty when absent).
struct ManifestApp {
  std::string name;
  std::string imageName;
  std::string imageId;
  std::string imageVersion;
};

struct AppInfo {
  ManifestApp app;
  /// From rkt/status/<app>; only read once the pod ran (isAfterRun).
  std::optional<int> exitCode;
};

struct PodInfo {
  Uuid uuid;
  State state = State::Gone;
  /// Unset while the pod is embryo, preparing or an aborted prepare (rkt prints Go's zero time).
  std::optional<TimePoint> created;
  /// Unset until the pod started (or when the stage1 wrote neither pid nor ppid).
  std::optional<TimePoint> started;
  /// From pid, else ppid (rkt's Pod.Pid); unset when neither is readable.
  std::optional<pid_t> pid;
  std::vector<AppInfo> apps;
  /// Running and exited pods only; empty when net-info.json is absent.
  std::vector<NetInfo> networks;
  /// Files that exist but could not be read or parsed (list prints them after the table).
  std::vector<Error> errors;
};

/// Everything above in one call; individual read failures land in PodInfo::errors.
PodInfo readPodInfo(const Pod& pod);

/// mtime of pod-created (fallback: of `pod`, for pods made before rkt 1.20). Unset for embryo,
/// preparing and aborted-prepare pods (rkt reports the zero time); ENOENT when neither file
/// exists for a pod that should have them.
Result<std::optional<TimePoint>> creationTime(const Pod& pod);

/// mtime of pid, else ppid (the stage1 writes one of them when the pod starts). Unset when the
/// pod has not run or neither file exists.
Result<std::optional<TimePoint>> startTime(const Pod& pod);

/// rkt's Pod.Pid: the number in `pid`, else in `ppid` (errno ENOENT when neither exists).
Result<pid_t> readPid(const Pod& pod);

/// The pod's PID 1 (rkt's ContainerPid1): `pid` if present, else the only child of the `ppid`
/// process. Fails with EAGAIN while that process has no child yet and with a "too many
/// children" error when it has several. See waitPid1() for the retrying form.
Result<pid_t> findPid1(const Pod& pod);

/// The raw pod manifest bytes ($POD/pod), e.g. for `rkt cat-manifest`.
Result<std::string> readManifest(const Pod& pod);

/// The apps of the pod manifest (name and image only). The manifest is parsed and validated by
/// the appc schema library: a manifest rkt would not run is an error here too.
Result<std::vector<ManifestApp>> readManifestApps(const Pod& pod);

/// `<name>:<version>` (or `<name>` without a version label) of the image an app runs, from
/// appsinfo/<app>/manifest, as in the IMAGE NAME column of `rkt list`.
Result<std::string> appImageName(const Pod& pod, const std::string& app);

/// The stage1 rootfs as seen by stage0, relative to the pod directory: the overlay upper dir
/// overlay/<stage1TreeStoreID>/upper when the pod uses overlay (marker overlay-prepared), so
/// that status files stay readable after the overlay is unmounted; stage1/rootfs otherwise, and
/// for overlay pods without a stage1TreeStoreID (stage1 plugins render no stage1 image).
Result<std::string> stage1RootfsRelPath(const Pod& pod);

/// Exit code of `app` from <stage1 rootfs>/rkt/status/<app> (errno ENOENT while unwritten).
Result<int> appExitCode(const Pod& pod, const std::string& app);

/// Exit codes of every app with a status file (`app-<name>=<code>` lines of `rkt status`).
/// A missing status directory gives an empty map. Entries that are not decimal numbers (the
/// mutable pods' <app>-created/-started markers) are skipped.
Result<std::map<std::string, int>> appExitCodes(const Pod& pod);

/// net-info.json; empty when the file does not exist.
Result<std::vector<NetInfo>> readNetworks(const Pod& pod);

/// Whether <stage1 rootfs>/rkt/supervisor-status is a symlink to "ready".
bool isSupervisorReady(const Pod& pod);

}  // namespace rkt::pod

#endif  // RKT_CORE_POD_INFO_HPP
