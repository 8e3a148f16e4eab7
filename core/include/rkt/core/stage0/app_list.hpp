// The apps of a `rkt run` / `rkt prepare` command line (rkt's apps.Apps, rkt-notes §1.5, §1.6):
// one AppSpec per image argument with the per-app flags that followed it, plus the pod-wide
// `--volume`s and the `--mount`s given before the first image.
//
//   AppList apps;
//   apps.create("docker://busybox");
//   setAppFlag(apps, "exec", "/bin/sh");        // applies to the last image
//   validateAppList(apps);                      // dangling mounts
#ifndef RKT_CORE_STAGE0_APP_LIST_HPP
#define RKT_CORE_STAGE0_APP_LIST_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rkt/core/result.hpp"
#include "rkt/schema/isolator.hpp"
#include "rkt/schema/types.hpp"

namespace rkt::stage0 {

/// One app as the command line describes it. Empty strings / nullopt mean "not given".
struct AppSpec {
  std::string image;                   ///< the image argument as typed
  std::string imageId;                 ///< the store key, once the image is found
  std::string name;                    ///< --name
  std::string exec;                    ///< --exec
  std::vector<std::string> args;       ///< after `--` (appended to exec)
  bool hasArgs = false;                ///< `--` was given (possibly with no arguments)
  std::string signature;               ///< --signature
  std::string workingDir;              ///< --working-dir
  std::optional<bool> readOnlyRootFs;  ///< --readonly-rootfs
  std::vector<schema::Mount> mounts;   ///< --mount after this image
  std::string user;                    ///< --user
  std::string group;                   ///< --group
  std::optional<std::vector<std::uint32_t>> supplementaryGids;  ///< --supplementary-gids
  schema::Annotations annotations;                ///< --annotation (RuntimeApp annotations)
  schema::UserAnnotations userAnnotations;        ///< --user-annotation
  schema::UserLabels userLabels;                  ///< --user-label
  schema::Environment environment;                ///< --environment (highest precedence)
  std::optional<schema::Isolator> memory;         ///< --memory
  std::optional<schema::Isolator> cpu;            ///< --cpu
  std::optional<schema::Isolator> cpuShares;      ///< --cpu-shares
  std::optional<schema::Isolator> capsRetain;     ///< --caps-retain / --cap-retain
  std::optional<schema::Isolator> capsRemove;     ///< --caps-remove / --cap-remove
  std::string seccomp;                            ///< --seccomp, parsed when the manifest is built
  std::optional<schema::Isolator> oomScoreAdj;    ///< --oom-score-adj
  std::string stdinMode, stdoutMode, stderrMode;  ///< --stdin/--stdout/--stderr (experiment)
};

struct AppList {
  std::vector<AppSpec> apps;
  std::vector<schema::Mount> mounts;    ///< --mount before the first image: every app gets them
  std::vector<schema::Volume> volumes;  ///< --volume

  /// Starts a new app for `image`; later per-app flags apply to it.
  void create(std::string image);
  AppSpec* last() { return apps.empty() ? nullptr : &apps.back(); }
};

/// The per-app flags (without dashes), in rkt's help order: name, exec, signature, working-dir,
/// readonly-rootfs, mount, user, group, supplementary-gids, annotation, user-annotation,
/// user-label, environment, memory, cpu, cpu-shares, caps-retain, caps-remove, cap-retain,
/// cap-remove, seccomp, oom-score-adj, stdin, stdout, stderr.
const std::vector<std::string_view>& perAppFlagNames();
bool isPerAppFlag(std::string_view name);
/// Per-app flags that take no value (`--readonly-rootfs` alone means true).
bool isPerAppBoolFlag(std::string_view name);

/// Applies per-app flag `name` (no dashes) with `value` to the last app, with rkt's checks and
/// messages: "--exec must follow an image", "--exec specified multiple times for the same
/// image", "memory limit of 1 bytes too low. Try a reasonable value, such as --memory=16M", ...
/// `--mount` before any image goes to the pod-wide list instead.
Status setAppFlag(AppList& apps, std::string_view name, const std::string& value);

/// `volume=NAME,target=PATH` (rkt's --mount syntax).
Result<schema::Mount> parseMountFlag(const std::string& value);

/// Every mount (pod-wide and per app) names a --volume, unless it carries an inline volume:
/// `dangling mount point "PATH": volume "X" not found`.
Status validateAppList(const AppList& apps);

}  // namespace rkt::stage0

#endif  // RKT_CORE_STAGE0_APP_LIST_HPP
