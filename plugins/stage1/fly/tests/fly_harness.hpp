// Test harness for the fly stage1: pod directories built by hand from the busybox fixture ACI,
// and the plugin's `run` executed in forked children (it replaces the calling process).
//
// main() puts the whole test process in a private mount namespace and makes it a child
// subreaper, so every mount the plugin makes stays inside it and every process it leaves
// behind comes back to the harness, which kills and reaps them by PID.
#ifndef RKT_PLUGINS_STAGE1_FLY_TESTS_FLY_HARNESS_HPP
#define RKT_PLUGINS_STAGE1_FLY_TESTS_FLY_HARNESS_HPP

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "stage1_client.hpp"

namespace Poco::JSON {
class Object;
}

namespace flytest {

/// Process-wide state, set up once by main().
struct Fixture {
  std::string workRoot;       ///< scratch directory; everything the tests create is below it
  std::string aciPath;        ///< busybox fixture ACI
  std::string imageId;        ///< its image ID
  std::string imageManifest;  ///< its manifest (JSON text)
  Stage1Client* client = nullptr;
};
Fixture& fixture();

/// Sets up fixture() (builds the ACI, loads the plugin). Returns false with a reason when the
/// tests cannot run here.
bool setUpFixture(const std::string& sourceDir, const std::string& pluginDir, std::string& why);
void tearDownFixture();

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& data, mode_t mode = 0644);
/// A new directory below the work root.
std::string makeTempDir(const std::string& hint);
/// JSON string literal for `s`.
std::string js(const std::string& s);
/// JSON array of strings.
std::string jsArray(const std::vector<std::string>& items);
bool exists(const std::string& path);

struct PodOptions {
  std::string appName = "app";
  /// The pod manifest's `app` object for the app; empty: none (the image's app is used).
  std::string appJson;
  std::string mountsJson = "[]";
  std::string volumesJson = "[]";
  /// More entries for `apps`, each a complete JSON object.
  std::vector<std::string> moreApps;
  /// Changes to the image manifest written to appsinfo/<app>/manifest.
  std::function<void(Poco::JSON::Object&)> patchImageManifest;
};

/// A prepared pod directory: pod manifest, appsinfo/<app>/manifest and the app rootfs under
/// stage1/rootfs/opt/stage2/<app>/rootfs. Destruction unmounts everything below it (in this
/// mount namespace) and removes it.
class TestPod {
 public:
  explicit TestPod(const PodOptions& options = {});
  ~TestPod();
  TestPod(const TestPod&) = delete;
  TestPod& operator=(const TestPod&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& uuid() const { return uuid_; }
  const std::string& appName() const { return appName_; }
  std::string stage1Rootfs() const { return dir_ + "/stage1/rootfs"; }
  std::string appRootfs() const { return stage1Rootfs() + "/opt/stage2/" + appName_ + "/rootfs"; }

 private:
  std::string dir_;
  std::string uuid_;
  std::string appName_;
};

struct RunOptions {
  /// JSON for `dns_conf_mode`, e.g. {"resolv":"host","hosts":"default"}; empty: not sent.
  std::string dnsConfModeJson;
  /// Run the pod in a mount namespace of its own (as a core that unshares would).
  bool ownMountNamespace = false;
  /// Make the pod process a process group leader (as a shell job is); false: it stays in the
  /// test's group.
  bool groupLeader = true;
};

struct Finished {
  int exitCode = -1;  ///< -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

/// A child process running the plugin's `run` for a pod. Killed (SIGKILL) and reaped on
/// destruction if it is still running.
class RunningPod {
 public:
  RunningPod(const TestPod& pod, const RunOptions& options);
  ~RunningPod();
  RunningPod(const RunningPod&) = delete;
  RunningPod& operator=(const RunningPod&) = delete;

  pid_t pid() const { return pid_; }
  /// Waits for the app to create `path` (inside its root, seen through /proc/<pid>/root).
  /// False after `seconds`, or when the process ended.
  bool waitForAppFile(const std::string& path, int seconds = 20);
  /// Waits for the process to end; kills it after `seconds` and reports that as a failure.
  Finished wait(int seconds = 30);
  bool running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  Finished finished_;
  std::string outPath_;
  std::string errPath_;
};

/// Runs the pod to completion.
Finished runPod(const TestPod& pod, const RunOptions& options = {});

/// Calls `enter` from a forked child (so its output can be captured); `outcome` receives what
/// the plugin returned there (status and message) when it did not succeed.
Finished enterPod(const TestPod& pod, pid_t pid, const std::vector<std::string>& command,
                  Outcome* outcome = nullptr);

/// Kills and reaps every child process still around (orphans come back to the harness as
/// subreaper).
void reapEverything();

}  // namespace flytest

#endif  // RKT_PLUGINS_STAGE1_FLY_TESTS_FLY_HARNESS_HPP
